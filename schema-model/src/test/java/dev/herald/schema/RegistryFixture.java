package dev.herald.schema;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes small registries into a temporary folder, one file at a time. */
final class RegistryFixture {

    static final String REGISTRY = """
            {
              "namespace": "shop",
              "javaPackage": "com.example.events",
              "services": {
                "order": {"description": "Orders"},
                "email": {"description": "Mail"}
              }
            }
            """;

    static final String MONEY = """
            {
              "type": "object",
              "required": ["amount", "currency"],
              "properties": {
                "amount": {"type": "number", "minimum": 0},
                "currency": {"type": "string", "pattern": "^[A-Z]{3}$"}
              }
            }
            """;

    static final String ORDER_CREATED_V1 = """
            {
              "$schema": "https://json-schema.org/draft/2020-12/schema",
              "description": "An order was placed.",
              "x-owner": "order",
              "type": "object",
              "required": ["orderId"],
              "properties": {
                "orderId": {"type": "string", "format": "uuid"},
                "total": {"$ref": "../../types/money.json"}
              }
            }
            """;

    final Path root;

    RegistryFixture(Path dir) {
        this.root = dir.resolve("schemas");
        write("registry.json", REGISTRY);
        write("types/money.json", MONEY);
        write("events/order.created/v1.json", ORDER_CREATED_V1);
    }

    RegistryFixture write(String relativePath, String content) {
        try {
            Path file = root.resolve(relativePath);
            Files.createDirectories(file.getParent());
            Files.writeString(file, content, StandardCharsets.UTF_8);
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    RegistryException loadFails() {
        try {
            RegistryLoader.load(root);
        } catch (RegistryException e) {
            return e;
        }
        throw new AssertionError("the registry loaded, but a problem was expected");
    }
}
