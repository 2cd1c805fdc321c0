package io.framewise.operators.kafka;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The documented JSON Schemas of the topics ({@code docs/*.schema.json}), checked by a draft 2020-12 validator. */
public final class JsonSchemas {

    public static final String LABELED_EVENT = "labeled-event.schema.json";
    public static final String DEAD_LETTER = "dead-letter.schema.json";
    public static final String FRAME_RECORD_HEADERS = "frame-record-headers.schema.json";
    public static final String EPISODE = "episode.schema.json";
    public static final String CAMERA_STATUS = "camera-status.schema.json";
    public static final String CAMERA_CONFIG = "camera-config.schema.json";

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);

    private JsonSchemas() {
    }

    /** The problems the validator finds in {@code value} against docs/{@code name}; empty when it conforms. */
    public static List<String> problems(String name, JsonNode value) {
        try (InputStream in = Files.newInputStream(file(name))) {
            JsonSchema schema = FACTORY.getSchema(in);
            return schema.validate(value).stream().map(ValidationMessage::getMessage).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The schema document itself. */
    public static JsonNode read(String name) {
        try {
            return MAPPER.readTree(file(name).toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path file(String name) {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path f = p.resolve("docs").resolve(name);
            if (Files.isRegularFile(f)) {
                return f;
            }
        }
        throw new IllegalStateException("docs/" + name + " not found above " + Path.of("").toAbsolutePath());
    }
}
