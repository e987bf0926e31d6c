/** The registry client as the commands configure it: --insecure-registry, timeouts, debug lines on stderr. */
import { RegistryClient } from '../registry/client.js';
import type { Io } from './io.js';

export interface RegistrySettings {
  insecureRegistries: readonly string[];
  /** Per registry request; default 30 s. */
  timeoutMs?: number;
  debug: boolean;
}

export function registryClient(settings: RegistrySettings, io: Io): RegistryClient {
  return new RegistryClient({
    env: io.env,
    insecureRegistries: settings.insecureRegistries,
    timeoutMs: settings.timeoutMs,
    // The client scrubs every credential and token it knows from these lines; they never carry headers.
    debug: settings.debug ? (line) => io.stderr(`imageguard: debug: ${line}\n`) : undefined,
  });
}

export const INSECURE_REGISTRY_HELP =
  'allow plain http and skip TLS verification for this registry host[:port]; repeatable (loopback hosts may use http without it)';
