/**
 * The bus's Redis stream plumbing, shared by {@link dev.herald.runtime.Worker} and the broker:
 * one consumer of a consumer group ({@link ConsumerGroup}: read, claim, count deliveries, renew
 * leases, acknowledge, trim), the read loop that survives any failure and knows when it last
 * completed ({@link ConsumerLoop}), the delivery limit ({@link DeliveryLimit}), the registry of
 * what each service instance listens to ({@link Registry}) and the Redis client the bus uses
 * ({@link RedisClients}). Applications do not need it: they use {@code Messenger} and
 * {@code Worker}; it is public because the broker, in another module, uses it too.
 */
package dev.herald.runtime.stream;
