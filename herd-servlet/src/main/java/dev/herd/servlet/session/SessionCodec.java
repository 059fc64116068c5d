package dev.herd.servlet.session;

import org.eclipse.jetty.session.SessionData;
import org.eclipse.jetty.util.ClassLoadingObjectInputStream;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;

/**
 * A session as the bytes of one shared-state value: its times and ids, then its attributes as
 * Java serialization writes them (which is what the Servlet spec asks of a distributable
 * session's attributes). Read back with the web app's class loader, which is the thread's while
 * Jetty loads a session, so the app's own classes deserialize.
 */
final class SessionCodec {

    /** Changes when the layout does; a value of another version is not read. */
    private static final int VERSION = 1;

    private SessionCodec() {
    }

    static byte[] encode(SessionData data) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeInt(VERSION);
            out.writeUTF(data.getId());
            out.writeUTF(data.getContextPath());
            out.writeUTF(data.getVhost());
            out.writeUTF(data.getLastNode() == null ? "" : data.getLastNode());
            out.writeLong(data.getCreated());
            out.writeLong(data.getAccessed());
            out.writeLong(data.getLastAccessed());
            out.writeLong(data.getCookieSet());
            out.writeLong(data.getExpiry());
            out.writeLong(data.getMaxInactiveMs());
            SessionData.serializeAttributes(data, out);
        }
        return bytes.toByteArray();
    }

    static SessionData decode(byte[] value) throws IOException, ClassNotFoundException {
        try (ObjectInputStream in = new ClassLoadingObjectInputStream(new ByteArrayInputStream(value))) {
            int version = in.readInt();
            if (version != VERSION) {
                throw new IOException("a session written in layout " + version + ", not " + VERSION);
            }
            String id = in.readUTF();
            String contextPath = in.readUTF();
            String vhost = in.readUTF();
            String lastNode = in.readUTF();
            long created = in.readLong();
            long accessed = in.readLong();
            long lastAccessed = in.readLong();
            long cookieSet = in.readLong();
            long expiry = in.readLong();
            long maxInactiveMs = in.readLong();
            SessionData data = new SessionData(id, contextPath, vhost, created, accessed, lastAccessed, maxInactiveMs);
            data.setLastNode(lastNode);
            data.setCookieSet(cookieSet);
            data.setExpiry(expiry);
            SessionData.deserializeAttributes(data, in);
            return data;
        }
    }
}
