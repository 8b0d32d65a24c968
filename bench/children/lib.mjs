/**
 * Helpers of the benchmark's child processes. Plain JavaScript on purpose: a child that ran
 * TypeScript would load Node's type stripper, and its RSS would be measured with the sync's.
 */
import { readFileSync } from 'node:fs';

/** Reads the JSON input a child was given on stdin. */
export async function readInput() {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
}

/**
 * One throw-away request to the fake's origin (not an API path, so neither the sync's counters
 * nor the URL list see it) with the transport the child measures (`fetch`, or `http`: Node's
 * `http.get` on its global keep-alive agent, as the sync's client): loads and connects it
 * before the clock starts, so every child measures the crawl, not Node's lazy start-up.
 */
export async function warmUp(anyUrl, transport = 'fetch') {
  const { origin, hostname } = new URL(anyUrl);
  if (hostname !== '127.0.0.1') throw new Error('the bench only talks to 127.0.0.1');
  if (transport === 'fetch') {
    await (await fetch(`${origin}/__warm-up`)).arrayBuffer();
    return;
  }
  const http = await import('node:http');
  await new Promise((resolve, reject) => {
    http
      .get(`${origin}/__warm-up`, (response) => response.resume().on('end', resolve))
      .on('error', reject);
  });
}

/**
 * Peak RSS of this process so far, in bytes: the high-water mark of its own memory (`VmHWM`).
 * Not `resourceUsage().maxRSS`: on Linux that carries over the RSS the parent had when it
 * forked this child, so a child of a large parent (the bench, holding the fake account and the
 * recorded answers) reports the parent's size however little it uses itself.
 */
export function peakRss() {
  try {
    const hwm = /^VmHWM:\s*(\d+) kB/m.exec(readFileSync('/proc/self/status', 'utf8'));
    if (hwm) return Number(hwm[1]) * 1024;
  } catch {
    // Not Linux: the kernel's figure is all there is.
  }
  return process.resourceUsage().maxRSS * 1024;
}

/** Peak RSS in bytes and CPU time in ms of the process so far. */
export function usage() {
  const used = process.resourceUsage();
  return { maxRss: peakRss(), cpuMs: (used.userCPUTime + used.systemCPUTime) / 1000 };
}

/**
 * Prints the child's report (with its peak RSS in bytes and CPU time, unless `values` gives
 * them) as its last stdout line.
 */
export function report(values) {
  process.stdout.write(`${JSON.stringify({ ...usage(), ...values })}\n`);
}
