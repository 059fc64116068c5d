package dev.herd.lab;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/** The report as JSON, every figure of every process included, for scripts and for comparing runs. */
public final class JsonReport {

    private JsonReport() {
    }

    public static String render(Object report) {
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);
        mapper.registerModule(new com.fasterxml.jackson.databind.module.SimpleModule()
                .addSerializer(java.time.Duration.class,
                        new com.fasterxml.jackson.databind.ser.std.ToStringSerializer()));
        try {
            return mapper.writeValueAsString(report) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a lab report is plain records and always serialises", e);
        }
    }
}
