// Writes the vendor API's OpenAPI document to a file (default stdout), for the typed client in
// clients/typescript. Usage: node --import tsx scripts/export-vendor-openapi.ts [file]
import { writeFileSync } from 'node:fs';
import { openApiDocument } from '../src/bin/openapi-document.js';

const text = JSON.stringify(await openApiDocument({ vendorOnly: true }), null, 2) + '\n';
const file = process.argv[2];
if (file) writeFileSync(file, text);
else process.stdout.write(text);
