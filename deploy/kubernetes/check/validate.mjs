// Validates Kubernetes manifests (multi-document YAML on stdin) against the Kubernetes API's own schemas, as compiled
// by the kubernetes-models package: types, required fields, enumerations and formats of every field it knows.
// Prints one line per object; exits 1 when any object is invalid or of a kind it does not know.
import { parseAllDocuments } from "yaml";

const input = await new Promise((resolve, reject) => {
  let text = "";
  process.stdin.setEncoding("utf8");
  process.stdin.on("data", (chunk) => (text += chunk));
  process.stdin.on("end", () => resolve(text));
  process.stdin.on("error", reject);
});

let failures = 0;
let checked = 0;
for (const document of parseAllDocuments(input)) {
  if (document.errors.length > 0) {
    console.error(`YAML error: ${document.errors.map((e) => e.message).join("; ")}`);
    failures++;
    continue;
  }
  const object = document.toJS();
  if (object == null) {
    continue;
  }
  const { apiVersion, kind } = object;
  const name = `${kind}/${object.metadata?.name ?? "(no name)"} (${apiVersion})`;
  let Model;
  try {
    Model = (await import(`kubernetes-models/${apiVersion}/${kind}`))[kind];
  } catch (e) {
    console.error(`FAIL ${name}: not a Kubernetes kind this validator knows`);
    failures++;
    continue;
  }
  try {
    new Model(object).validate();
    if (!object.metadata?.name) {
      throw new Error("metadata.name is missing");
    }
    checked++;
    console.log(`ok   ${name}`);
  } catch (e) {
    console.error(`FAIL ${name}: ${e.message}`);
    failures++;
  }
}
if (checked === 0 && failures === 0) {
  console.error("no Kubernetes objects on stdin");
  process.exit(1);
}
process.exit(failures === 0 ? 0 : 1);
