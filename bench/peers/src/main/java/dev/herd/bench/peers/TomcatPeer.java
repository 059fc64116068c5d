package dev.herd.bench.peers;

import org.apache.catalina.Context;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;

import java.nio.file.Files;

/** Standalone embedded Tomcat 11: BenchServlet at /*, THREADS request threads (maxThreads). */
public final class TomcatPeer {

    public static void main(String[] args) throws Exception {
        PeerArgs peer = PeerArgs.parse("tomcat", args);
        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(Files.createTempDirectory("tomcat-peer").toString());
        Connector connector = new Connector();
        connector.setProperty("address", "127.0.0.1");
        connector.setPort(peer.port());
        connector.setProperty("maxThreads", Integer.toString(peer.threads()));
        connector.setProperty("minSpareThreads", Integer.toString(Math.min(peer.threads(), 10)));
        tomcat.setConnector(connector);
        Context context = tomcat.addContext("", null);
        Tomcat.addServlet(context, "bench", new BenchServlet()).addMapping("/*");
        tomcat.start();
        peer.ready("tomcat");
    }
}
