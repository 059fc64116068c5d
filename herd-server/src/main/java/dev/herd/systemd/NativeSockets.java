package dev.herd.systemd;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * The few C calls an inherited descriptor needs and neither the JDK nor Netty offers: what kind
 * of socket it is ({@code getsockopt}), and making it non-blocking and close-on-exec
 * ({@code fcntl}). systemd passes its sockets blocking unless the unit says {@code NonBlocking=yes},
 * and an event loop that accepts on a blocking socket stops when the queue is empty. The flag
 * belongs to the open file, so the workers' copies of the descriptor get it too. Linux only, as
 * herd is; the constants are the same on x86_64 and aarch64.
 */
@SuppressWarnings("restricted") // herd runs with --enable-native-access=ALL-UNNAMED, for Netty too
final class NativeSockets {

    static final int AF_UNIX = 1;
    static final int AF_INET = 2;
    static final int AF_INET6 = 10;

    private static final int SOL_SOCKET = 1;
    private static final int SO_TYPE = 3;
    private static final int SO_ACCEPTCONN = 30;
    private static final int SO_DOMAIN = 39;
    private static final int SOCK_STREAM = 1;
    private static final int F_GETFD = 1;
    private static final int F_SETFD = 2;
    private static final int F_GETFL = 3;
    private static final int F_SETFL = 4;
    private static final int FD_CLOEXEC = 1;
    private static final int O_NONBLOCK = 0x800;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final MethodHandle FCNTL = LINKER.downcallHandle(
            LINKER.defaultLookup().find("fcntl").orElseThrow(),
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT), Linker.Option.firstVariadicArg(2));
    private static final MethodHandle GETSOCKOPT = LINKER.downcallHandle(
            LINKER.defaultLookup().find("getsockopt").orElseThrow(),
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));

    private NativeSockets() {
    }

    /** The socket's address family ({@link #AF_INET}, ...), or -1 when {@code fd} is not a socket. */
    static int family(int fd) {
        return intOption(fd, SO_DOMAIN);
    }

    /** A stream socket in the listening state: what systemd passes with {@code Accept=no}. */
    static boolean isListeningStream(int fd) {
        return intOption(fd, SO_TYPE) == SOCK_STREAM && intOption(fd, SO_ACCEPTCONN) == 1;
    }

    /** Sets O_NONBLOCK on the open file and FD_CLOEXEC on the descriptor. */
    static void prepareForLoop(int fd) throws IOException {
        int status = fcntl(fd, F_GETFL, 0);
        if (status < 0 || fcntl(fd, F_SETFL, status | O_NONBLOCK) < 0) {
            throw new IOException("cannot make descriptor " + fd + " non-blocking");
        }
        int flags = fcntl(fd, F_GETFD, 0);
        if (flags < 0 || fcntl(fd, F_SETFD, flags | FD_CLOEXEC) < 0) {
            throw new IOException("cannot mark descriptor " + fd + " close-on-exec");
        }
    }

    private static int fcntl(int fd, int command, int argument) {
        try {
            return (int) FCNTL.invokeExact(fd, command, argument);
        } catch (Throwable e) {
            throw new IllegalStateException("fcntl", e);
        }
    }

    private static int intOption(int fd, int option) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment value = arena.allocate(JAVA_INT);
            MemorySegment length = arena.allocate(JAVA_INT);
            length.set(JAVA_INT, 0, (int) JAVA_INT.byteSize());
            int result = (int) GETSOCKOPT.invokeExact(fd, SOL_SOCKET, option, value, length);
            return result < 0 ? -1 : value.get(JAVA_INT, 0);
        } catch (Throwable e) {
            throw new IllegalStateException("getsockopt", e);
        }
    }
}
