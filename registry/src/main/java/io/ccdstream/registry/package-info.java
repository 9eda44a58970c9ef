/**
 * Confluent Schema Registry compatibility without Confluent's jars: a REST client
 * ({@link io.ccdstream.registry.SchemaRegistryClient}), Avro serdes in Confluent's wire format
 * ({@link io.ccdstream.registry.AvroSerializer}, {@link io.ccdstream.registry.AvroDeserializer},
 * {@link io.ccdstream.registry.AvroSerde}) configured under Confluent's property names
 * ({@link io.ccdstream.registry.AvroSerdeConfig}), and an in-process registry server
 * ({@link io.ccdstream.registry.EmbeddedSchemaRegistry}) whose state survives restarts in a
 * compacted Kafka topic. Interoperability with Confluent's JavaScript client is tested in
 * {@code ConfluentJsClientInteropIT}.
 */
package io.ccdstream.registry;
