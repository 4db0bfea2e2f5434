import * as fs from 'fs';

/**
 * This process's own peak resident memory in MiB: `VmHWM` of `/proc/self/status`, where there is one.
 * Linux's `getrusage` (`process.resourceUsage().maxRSS`) carries the parent's resident memory at
 * the time of the fork through `exec`, so a bench child started by a parent of 344 MiB reported at
 * least 344 MiB whatever it used; the high-water mark of the child's own address space does not.
 */
export function peakRssMiB(): number {
  try {
    const match = /^VmHWM:\s+(\d+)\s+kB$/m.exec(fs.readFileSync('/proc/self/status', 'utf8'));
    if (match) return Number(match[1]) / 1024;
  } catch {
    // not Linux: the resource usage is the best there is
  }
  return process.resourceUsage().maxRSS / 1024;
}
