// Validates Kubernetes manifests two ways, with the models of the npm package kubernetes-models
// (generated from the Kubernetes OpenAPI schemas):
//  1. each object through its model's validate(): types, required fields, formats, enums;
//  2. each object as a typed TypeScript literal, checked by tsc: an unknown field anywhere (a typo
//     such as `replica:` or a field of a newer API) is an error, which the schemas' validators
//     accept silently. Kubernetes itself rejects them only with strict field validation.
// Usage: node validate.mjs FILE.yaml...   Exit status 0 when every object passes.
import { readFileSync, writeFileSync, mkdtempSync, rmSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { parseAllDocuments } from "yaml";

const here = dirname(fileURLToPath(import.meta.url));
const files = process.argv.slice(2);
if (files.length === 0) {
  console.error("usage: node validate.mjs FILE.yaml...");
  process.exit(2);
}

let failures = 0;
const typed = [];
for (const file of files) {
  const docs = parseAllDocuments(readFileSync(file, "utf8"));
  for (const [index, doc] of docs.entries()) {
    if (doc.errors.length > 0) {
      console.error(`${file} #${index}: YAML: ${doc.errors.map((e) => e.message).join("; ")}`);
      failures++;
      continue;
    }
    const object = doc.toJS();
    if (object === null) {
      continue;
    }
    const where = `${file} #${index} (${object.kind} ${object.metadata?.name})`;
    const module = `kubernetes-models/${object.apiVersion}/${object.kind}`;
    let Model;
    try {
      Model = (await import(module))[object.kind];
    } catch (e) {
      console.error(`${where}: no model for apiVersion ${object.apiVersion}, kind ${object.kind}`);
      failures++;
      continue;
    }
    try {
      new Model(object).validate();
    } catch (e) {
      console.error(`${where}: ${e.message}`);
      failures++;
    }
    typed.push({ where, module, kind: object.kind, object });
  }
}

// The typed literals, checked with excess-property checks (tsc --strict).
const dir = mkdtempSync(join(here, ".check-"));
try {
  const lines = typed.map((t, i) => `import type { I${t.kind} as T${i} } from "${t.module}";`);
  typed.forEach((t, i) => lines.push(`// ${t.where}\nexport const o${i}: T${i} = ${JSON.stringify(t.object, null, 2)};`));
  writeFileSync(join(dir, "manifests.ts"), lines.join("\n") + "\n");
  try {
    execFileSync(join(here, "node_modules", ".bin", "tsc"), ["--noEmit", "--strict", "--skipLibCheck",
      "--module", "nodenext", "--moduleResolution", "nodenext", "--target", "es2022", join(dir, "manifests.ts")],
      { encoding: "utf8", stdio: "pipe" });
  } catch (e) {
    const text = (e.stdout || "") + (e.stderr || "");
    for (const line of text.split("\n").filter((l) => l.trim())) {
      const match = line.match(/manifests\.ts\((\d+),\d+\): (.*)/);
      if (match) {
        // Name the object the line belongs to: the nearest comment above it.
        const source = readFileSync(join(dir, "manifests.ts"), "utf8").split("\n");
        let owner = "?";
        for (let l = Number(match[1]) - 1; l >= 0; l--) {
          if (source[l].startsWith("// ")) {
            owner = source[l].slice(3);
            break;
          }
        }
        console.error(`${owner}: ${match[2]}`);
      } else {
        console.error(line);
      }
    }
    failures++;
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

if (failures > 0) {
  console.error(`${failures} problem(s)`);
  process.exit(1);
}
console.log(`${typed.length} objects valid: ${typed.map((t) => t.where).join(", ")}`);
