package dev.herald.schema;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One JSON file of the registry: its text, its Jackson tree, and the line and column of every node,
 * so that any finding about the file can point at the exact place.
 */
public final class SchemaDocument {

    private static final JsonFactory JSON = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
            .build();

    private final Path path;
    private final String relativePath;
    private final String text;
    private final JsonNode root;
    private final Map<String, int[]> positions;

    private SchemaDocument(Path path, String relativePath, String text, JsonNode root, Map<String, int[]> positions) {
        this.path = path;
        this.relativePath = relativePath;
        this.text = text;
        this.root = root;
        this.positions = positions;
    }

    /**
     * Reads and parses one file.
     *
     * @param file         the file, as it should appear in messages (e.g. {@code schemas/types/money.json})
     * @param relativePath its path inside the registry, '/'-separated ({@code types/money.json})
     * @throws RegistryException when the file cannot be read or is not valid JSON; the problem
     *                           names the line and column where parsing stopped
     */
    public static SchemaDocument parse(Path file, String relativePath) {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(relativePath, "relativePath");
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new RegistryException(new Problem(SourceLocation.ofFile(file),
                    "cannot read the file: " + e.getMessage(),
                    "check that the file exists and is readable"));
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new RegistryException(new Problem(SourceLocation.ofFile(file),
                    "the file is not UTF-8 text", "save the file as UTF-8"));
        }
        return parse(file, relativePath, text);
    }

    /** Parses JSON text that is said to come from {@code file} (used for git baselines and tests). */
    public static SchemaDocument parse(Path file, String relativePath, String text) {
        Map<String, int[]> positions = new HashMap<>();
        try (JsonParser parser = JSON.createParser(text)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                throw new RegistryException(new Problem(SourceLocation.ofFile(file),
                        "the file is empty", "write a JSON object (a JSON Schema) into the file"));
            }
            JsonNode root = read(parser, "", positions, parser.currentTokenLocation());
            JsonToken trailing = parser.nextToken();
            if (trailing != null) {
                JsonLocation at = parser.currentTokenLocation();
                throw new RegistryException(new Problem(
                        new SourceLocation(file, at.getLineNr(), at.getColumnNr(), ""),
                        "unexpected content after the end of the JSON document",
                        "remove everything after the closing brace of the top-level object"));
            }
            return new SchemaDocument(file, relativePath, text, root, positions);
        } catch (JsonParseException e) {
            JsonLocation at = e.getLocation();
            int line = at == null ? 1 : Math.max(1, at.getLineNr());
            int column = at == null ? 1 : Math.max(1, at.getColumnNr());
            throw new RegistryException(new Problem(new SourceLocation(file, line, column, ""),
                    "invalid JSON: " + e.getOriginalMessage(),
                    "correct the JSON syntax at this line and column (a missing comma, quote or brace is usual)"));
        } catch (IOException e) {
            throw new RegistryException(new Problem(SourceLocation.ofFile(file),
                    "cannot read the file: " + e.getMessage(), "check that the file is readable"));
        }
    }

    private static JsonNode read(JsonParser parser, String pointer, Map<String, int[]> positions, JsonLocation at)
            throws IOException {
        positions.put(pointer, new int[] {at.getLineNr(), at.getColumnNr()});
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        JsonToken token = parser.currentToken();
        switch (token) {
            case START_OBJECT: {
                ObjectNode object = nodes.objectNode();
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String name = parser.currentName();
                    JsonLocation keyAt = parser.currentTokenLocation();
                    parser.nextToken();
                    object.set(name, read(parser, pointer + "/" + escape(name), positions, keyAt));
                }
                return object;
            }
            case START_ARRAY: {
                ArrayNode array = nodes.arrayNode();
                int index = 0;
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    array.add(read(parser, pointer + "/" + index, positions, parser.currentTokenLocation()));
                    index++;
                }
                return array;
            }
            case VALUE_STRING:
                return nodes.textNode(parser.getText());
            case VALUE_NUMBER_INT:
                return nodes.numberNode(parser.getBigIntegerValue());
            case VALUE_NUMBER_FLOAT:
                return nodes.numberNode(parser.getDecimalValue());
            case VALUE_TRUE:
                return nodes.booleanNode(true);
            case VALUE_FALSE:
                return nodes.booleanNode(false);
            case VALUE_NULL:
                return nodes.nullNode();
            default:
                throw new JsonParseException(parser, "unexpected token " + token);
        }
    }

    /** RFC 6901 escaping of one reference token. */
    public static String escape(String token) {
        return token.replace("~", "~0").replace("/", "~1");
    }

    /** RFC 6901 unescaping of one reference token. */
    public static String unescape(String token) {
        return token.replace("~1", "/").replace("~0", "~");
    }

    /** The file, as given to the loader (for messages). */
    public Path path() {
        return path;
    }

    /** The path inside the registry, '/'-separated: {@code events/order.created/v2.json}. */
    public String relativePath() {
        return relativePath;
    }

    /** The raw text of the file. */
    public String text() {
        return text;
    }

    /** The parsed tree. Shared: never mutate it. */
    public JsonNode root() {
        return root;
    }

    /** The node at a JSON pointer, or a missing node. */
    public JsonNode at(String pointer) {
        return root.at(pointer);
    }

    /**
     * The location of the node at {@code pointer}; for a pointer that names no node, the location
     * of its nearest existing ancestor (with the pointer kept as asked).
     */
    public SourceLocation locate(String pointer) {
        String p = pointer;
        while (true) {
            int[] pos = positions.get(p);
            if (pos != null) {
                return new SourceLocation(path, pos[0], pos[1], pointer);
            }
            if (p.isEmpty()) {
                return new SourceLocation(path, 1, 1, pointer);
            }
            p = p.substring(0, p.lastIndexOf('/'));
        }
    }

    @Override
    public String toString() {
        return path.toString();
    }
}
