package dev.herald.runtime;

/**
 * Marker of a generated event record (one per registry event, newest version). Only these can
 * be sent; nested records and shared types do not carry it.
 */
public interface HeraldEvent {
}
