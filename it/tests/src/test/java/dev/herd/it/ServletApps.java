package dev.herd.it;

import java.nio.file.Path;

/** Where the servlet tests find their apps: WARs this build packaged, and the test classes. */
final class ServletApps {

    private ServletApps() {
    }

    static Path war(String name) {
        return Path.of(System.getProperty("herd.test.wars")).resolve("herd-it-" + name + ".war");
    }

    /** The arguments that serve {@code HelloServlet} from the test classes. */
    static String[] hello(String... more) {
        String[] args = new String[more.length + 4];
        args[0] = "--app-jar";
        args[1] = System.getProperty("herd.test.classes");
        args[2] = "--servlet";
        args[3] = "dev.herd.it.servlets.HelloServlet";
        System.arraycopy(more, 0, args, 4, more.length);
        return args;
    }
}
