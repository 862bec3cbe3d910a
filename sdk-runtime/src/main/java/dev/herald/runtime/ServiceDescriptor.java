package dev.herald.runtime;

/** A service declared in the registry. The generated {@code ServiceName} enum implements it. */
public interface ServiceDescriptor {

    /** The wire name, as in {@code registry.json} and the envelope's {@code source}: {@code order}. */
    String wireName();
}
