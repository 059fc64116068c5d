package dev.herd.it.jdk;

import com.sun.net.httpserver.SimpleFileServer;

import java.net.InetSocketAddress;
import java.nio.file.Path;

/** The JDK's SimpleFileServer (JEP 408), serving the folder named by $FILE_ROOT. */
public class FileServerMain {

    public static void main(String[] args) {
        Path root = Path.of(System.getenv("FILE_ROOT")).toAbsolutePath();
        SimpleFileServer.createFileServer(new InetSocketAddress(8000), root, SimpleFileServer.OutputLevel.INFO).start();
    }
}
