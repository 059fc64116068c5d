package dev.herd.it.spring;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

@RestController
public class GreetingController {

    public record Greeting(String message, long pid) {
    }

    public record Upload(String field, String filename, long size, String sha256) {
    }

    @GetMapping("/greeting")
    public Greeting greeting(@RequestParam(defaultValue = "world") String name) {
        return new Greeting("hello, " + name, ProcessHandle.current().pid());
    }

    @GetMapping("/boom")
    public String boom() {
        throw new IllegalStateException("boom on purpose");
    }

    @PostMapping("/upload")
    public Upload upload(@RequestParam("file") MultipartFile file) throws IOException, NoSuchAlgorithmException {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        long size = 0;
        try (InputStream in = file.getInputStream()) {
            byte[] buffer = new byte[8192];
            for (int n; (n = in.read(buffer)) > 0; ) {
                sha.update(buffer, 0, n);
                size += n;
            }
        }
        return new Upload(file.getName(), file.getOriginalFilename(), size, HexFormat.of().formatHex(sha.digest()));
    }

    /** The error page web.xml names: the container dispatches here with the error's attributes. */
    @RequestMapping("/error")
    public Map<String, Object> error(HttpServletRequest request) {
        Object status = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        Object uri = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
        Object exception = request.getAttribute(RequestDispatcher.ERROR_EXCEPTION);
        return Map.of("error", true, "status", status == null ? 0 : status, "path", uri == null ? "" : uri,
                "exception", exception == null ? "" : exception.getClass().getName());
    }
}
