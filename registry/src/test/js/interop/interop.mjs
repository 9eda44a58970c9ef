// Drives Confluent's own JavaScript schema registry client and Avro serdes
// (@confluentinc/schemaregistry) against ccd-stream's embedded registry and Java serdes.
// Run by ConfluentJsClientInteropTest; it reports facts as JSON and the Java test asserts on them.
//
// Usage: node interop.mjs <registryUrl> <javaRecord.bin> <outDir>
//   (a) registers SCHEMA under subject js.registered-value and reads it back;
//   (b) decodes <javaRecord.bin>, written by the Java AvroSerializer for topic interop.java,
//       into <outDir>/decoded-from-java.json;
//   (c) serializes records for the Java AvroDeserializer: <outDir>/from-js-inferred.bin
//       (autoRegisterSchemas, schema inferred from the value, topic interop.js.inferred) and
//       <outDir>/from-js-latest.bin (useLatestVersion with SCHEMA, topic js.registered);
//   (d) deletes versions and a subject with deleteSubjectVersion / deleteSubject, soft then
//       permanent, recording the results and the error codes of refused deletes.
// Writes <outDir>/report.json and exits non-zero on any failure.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  AvroDeserializer,
  AvroSerializer,
  SchemaRegistryClient,
  SerdeType,
} from '@confluentinc/schemaregistry';

const SCHEMA = JSON.stringify({
  type: 'record',
  name: 'InteropImage',
  namespace: 'io.ccdstream.registry',
  fields: [
    { name: 'imageId', type: 'string' },
    { name: 'width', type: 'int' },
    { name: 'score', type: 'double' },
    { name: 'capturedAt', type: 'long' },
    { name: 'labels', type: { type: 'array', items: 'string' } },
    { name: 'checkpoint', type: ['null', 'string'], default: null },
  ],
});

const REGISTERED_SUBJECT = 'js.registered-value';

async function registerAndReadBack(client) {
  const info = { schemaType: 'AVRO', schema: SCHEMA };
  const registeredId = await client.register(REGISTERED_SUBJECT, info);
  const registeredAgainId = await client.register(REGISTERED_SUBJECT, { schema: SCHEMA });
  const byId = await client.getBySubjectAndId(REGISTERED_SUBJECT, registeredId);
  const latest = await client.getLatestSchemaMetadata(REGISTERED_SUBJECT);
  const version1 = await client.getSchemaMetadata(REGISTERED_SUBJECT, 1);
  const lookup = await client.getIdFullResponse(REGISTERED_SUBJECT, info);
  return {
    registeredId,
    registeredAgainId,
    schemaById: byId.schema,
    latest: { id: latest.id, version: latest.version, subject: latest.subject, schema: latest.schema },
    version1: { id: version1.id, version: version1.version },
    lookup: { id: lookup.id, version: lookup.version },
    versions: await client.getAllVersions(REGISTERED_SUBJECT),
    subjects: await client.getAllSubjects(),
    defaultCompatibility: await client.getDefaultCompatibility(),
    compatibleWithItself: await client.testSubjectCompatibility(REGISTERED_SUBJECT, info),
  };
}

const DELETED_SUBJECT = 'js.deleted-value';

async function errorCodeOf(call) {
  try {
    await call();
    return null;
  } catch (error) {
    return { status: error.status ?? null, errorCode: error.errorCode ?? null };
  }
}

async function deleteThroughClient(client) {
  const v1 = JSON.stringify({ type: 'record', name: 'Deleted', namespace: 'js', fields: [{ name: 'a', type: 'string' }] });
  const v2 = JSON.stringify({
    type: 'record',
    name: 'Deleted',
    namespace: 'js',
    fields: [{ name: 'a', type: 'string' }, { name: 'b', type: 'int', default: 0 }],
  });
  const id1 = await client.register(DELETED_SUBJECT, { schemaType: 'AVRO', schema: v1 });
  await client.register(DELETED_SUBJECT, { schemaType: 'AVRO', schema: v2 });
  const result = { id1 };
  result.permanentBeforeSoftVersion = await errorCodeOf(() => client.deleteSubjectVersion(DELETED_SUBJECT, 1, true));
  result.softVersion = await client.deleteSubjectVersion(DELETED_SUBJECT, 1, false);
  result.softVersionAgain = await errorCodeOf(() => client.deleteSubjectVersion(DELETED_SUBJECT, 1, false));
  result.versionsAfterSoftVersion = await client.getAllVersions(DELETED_SUBJECT);
  result.permanentVersion = await client.deleteSubjectVersion(DELETED_SUBJECT, 1, true);
  result.permanentBeforeSoftSubject = await errorCodeOf(() => client.deleteSubject(DELETED_SUBJECT, true));
  result.softSubject = await client.deleteSubject(DELETED_SUBJECT, false);
  result.softSubjectAgain = await errorCodeOf(() => client.deleteSubject(DELETED_SUBJECT, false));
  result.permanentSubject = await client.deleteSubject(DELETED_SUBJECT, true);
  result.missingSubject = await errorCodeOf(() => client.deleteSubject(DELETED_SUBJECT, false));
  result.subjectsAfter = await client.getAllSubjects();
  return result;
}

async function decodeJavaRecord(client, javaRecordFile) {
  const deserializer = new AvroDeserializer(client, SerdeType.VALUE, {});
  const payload = await readFile(javaRecordFile);
  return deserializer.deserialize('interop.java', payload);
}

async function serializeForJava(client, outDir) {
  const inferred = new AvroSerializer(client, SerdeType.VALUE, { autoRegisterSchemas: true });
  const inferredBytes = await inferred.serialize('interop.js.inferred', {
    imageId: 'img-js-1',
    width: 640,
    score: 0.875,
    tags: ['cat', 'sofa'],
    flagged: true,
  });
  await writeFile(join(outDir, 'from-js-inferred.bin'), inferredBytes);

  const latest = new AvroSerializer(client, SerdeType.VALUE, { autoRegisterSchemas: false, useLatestVersion: true });
  const latestBytes = await latest.serialize('js.registered', {
    imageId: 'img-js-2',
    width: 1024,
    score: 0.25,
    capturedAt: 1700000000123,
    labels: ['dog'],
    checkpoint: 'ckpt-7',
  });
  await writeFile(join(outDir, 'from-js-latest.bin'), latestBytes);
  return { inferredBytes: inferredBytes.length, latestBytes: latestBytes.length };
}

async function main([registryUrl, javaRecordFile, outDir]) {
  if (!registryUrl || !javaRecordFile || !outDir) {
    throw new Error('usage: node interop.mjs <registryUrl> <javaRecord.bin> <outDir>');
  }
  const client = new SchemaRegistryClient({ baseURLs: [registryUrl], maxRetries: 0 });
  const report = { registered: await registerAndReadBack(client) };
  const decoded = await decodeJavaRecord(client, javaRecordFile);
  await writeFile(join(outDir, 'decoded-from-java.json'), JSON.stringify(decoded));
  report.decodedFromJava = decoded;
  report.serialized = await serializeForJava(client, outDir);
  report.deleted = await deleteThroughClient(client);
  await writeFile(join(outDir, 'report.json'), JSON.stringify(report, null, 2));
  console.log(JSON.stringify(report, null, 2));
}

main(process.argv.slice(2)).catch((error) => {
  console.error(error?.stack ?? String(error));
  process.exit(1);
});
