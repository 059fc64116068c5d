package dev.herd.config;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads {@code herd.toml}: top-level keys named as the settings ({@code worker-class} or
 * {@code worker_class}), values as TOML strings, numbers, booleans or arrays (for repeatable
 * settings such as {@code bind}). Values are turned into text and parsed by the settings
 * themselves, so a file value is checked exactly like a flag.
 */
final class ConfigFile {

    /** The file read when no {@code --config} is given, if it exists. */
    static final String DEFAULT_NAME = "herd.toml";

    private ConfigFile() {
    }

    /** Each setting the file sets, with its value as text; problems are collected, not thrown one by one. */
    static Map<Setting<?>, String> read(Path file, List<String> problems) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            problems.add(file + ": cannot read: " + e.getMessage());
            return new LinkedHashMap<>();
        }
        return parse(text, file.toString(), problems);
    }

    /** As {@link #read}, from the file's text; {@code file} names it in the problems. */
    static Map<Setting<?>, String> parse(String toml, String file, List<String> problems) {
        Map<Setting<?>, String> values = new LinkedHashMap<>();
        JsonNode root;
        try {
            root = new TomlMapper().readTree(toml);
        } catch (JacksonException e) {
            problems.add(file + ": not valid TOML: " + e.getOriginalMessage());
            return values;
        }
        for (Map.Entry<String, JsonNode> field : root.properties()) {
            String key = field.getKey().replace('_', '-');
            Setting<?> setting = Settings.byKey(key);
            if (setting == null || setting == Settings.CONFIG) {
                problems.add(file + ": unknown setting '" + field.getKey() + "'");
                continue;
            }
            String text = text(field.getValue());
            if (text == null) {
                problems.add(file + ": " + field.getKey() + " must be a string, number, boolean or array of them");
            } else {
                values.put(setting, text);
            }
        }
        return values;
    }

    private static String text(JsonNode node) {
        if (node.isArray()) {
            List<String> items = new ArrayList<>();
            for (JsonNode item : node) {
                if (!item.isValueNode()) {
                    return null;
                }
                items.add(item.asText());
            }
            return String.join(",", items);
        }
        return node.isValueNode() ? node.asText() : null;
    }
}
