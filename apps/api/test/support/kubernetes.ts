// Kubernetes manifests without a cluster: kubectl renders the kustomization, kubernetes-models
// checks every object against the Kubernetes JSON schemas, and the environment a container would
// get (env + envFrom of the rendered ConfigMaps and Secrets) is worked out for loadConfig.
import { execFileSync } from 'node:child_process';
import { parseAllDocuments } from 'yaml';

export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  [field: string]: any;
}

/** `kubectl kustomize <dir>`: a missing kubectl fails the test (it is the renderer under test). */
export function kustomize(dir: string): K8sObject[] {
  const output = execFileSync('kubectl', ['kustomize', dir], { encoding: 'utf8' });
  return parseAllDocuments(output).map((document) => document.toJS() as K8sObject);
}

/** Throws with the schema's complaint when the object is not valid for its apiVersion/kind. */
export async function validateAgainstSchema(object: K8sObject): Promise<void> {
  const group: Record<string, unknown> = await import(
    /* @vite-ignore */ `kubernetes-models/${object.apiVersion}`
  );
  const Model = group[object.kind] as (new (data: unknown) => { validate(): void }) | undefined;
  if (Model === undefined) throw new Error(`no schema for ${object.apiVersion} ${object.kind}`);
  new Model(object.kind === 'Secret' ? unwrapSecretData(object) : object).validate();
}

/**
 * kustomize wraps long base64 values over several lines, which the API server decodes (Go's
 * base64 skips newlines) but the schema's "byte" format does not accept.
 */
const unwrapSecretData = (secret: K8sObject): K8sObject => ({
  ...secret,
  data: Object.fromEntries(
    Object.entries<string>(secret.data ?? {}).map(([key, value]) => [
      key,
      value.replace(/\s/g, ''),
    ]),
  ),
});

export const named = (objects: K8sObject[], kind: string, name: string): K8sObject => {
  const found = objects.find((o) => o.kind === kind && o.metadata.name === name);
  if (found === undefined) throw new Error(`no ${kind} ${name} in the rendered manifests`);
  return found;
};

/** The environment the container gets: envFrom sources first, then env (which wins). */
export function containerEnv(objects: K8sObject[], container: any): Record<string, string> {
  const env: Record<string, string> = {};
  for (const source of container.envFrom ?? []) {
    if (source.configMapRef) {
      Object.assign(env, named(objects, 'ConfigMap', source.configMapRef.name).data);
    } else {
      const secret = named(objects, 'Secret', source.secretRef.name);
      for (const [key, value] of Object.entries<string>(secret.data ?? {})) {
        env[key] = Buffer.from(value, 'base64').toString('utf8');
      }
      Object.assign(env, secret.stringData);
    }
  }
  for (const variable of container.env ?? []) env[variable.name] = variable.value;
  return env;
}

/** The pod template of a Deployment or Job. */
export const podSpec = (workload: K8sObject) => workload.spec.template.spec;
