#!/usr/bin/env node
'use strict';
// Checks package-lock.json before `npm ci` trusts it: every installed entry carries a version, and the
// lock satisfies package.json (npm's own `npm ls --package-lock-only` decides that). Plain Node only,
// so it runs on a machine where nothing is installed yet.
//   node tools/check-lock.js [project-dir]     exit 0 when the lock is sound, 1 with the reasons
const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const REGENERATE = 'Regenerate it: rm -rf node_modules package-lock.json && npm install && npm ci (README, Contributing).';

/** Problems of the lock in `dir`, as sentences; empty when it is sound. */
function lockProblems(dir) {
  const lockPath = path.join(dir, 'package-lock.json');
  if (!fs.existsSync(lockPath)) return [`${lockPath} is missing. ${REGENERATE}`];
  let lock;
  try {
    lock = JSON.parse(fs.readFileSync(lockPath, 'utf8'));
  } catch (e) {
    return [`${lockPath} is not valid JSON (${e.message}). ${REGENERATE}`];
  }
  if (!lock.packages || (lock.lockfileVersion ?? 0) < 2) {
    return [`${lockPath} has lockfileVersion ${lock.lockfileVersion}; npm 7 or later writes version 3 with a "packages" map. ${REGENERATE}`];
  }
  const versionless = Object.entries(lock.packages)
    .filter(([key, entry]) => key !== '' && !entry.link && !entry.version)
    .map(([key]) => key);
  if (versionless.length > 0) {
    const shown = versionless.slice(0, 5).map((k) => `"${k}"`).join(', ');
    const more = versionless.length > 5 ? ` and ${versionless.length - 5} more` : '';
    return [`${lockPath}: ${versionless.length} entries of "packages" have no "version", which \`npm ci\` rejects with "Invalid Version": ${shown}${more}. ${REGENERATE}`];
  }
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const ls = spawnSync(npm, ['ls', '--package-lock-only', '--all', '--parseable'], { cwd: dir, encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } });
  if (ls.error) return [`could not run npm ls to compare the lock with package.json: ${ls.error.message}`];
  if (ls.status !== 0) {
    const reasons = (ls.stderr || '').split('\n')
      .map((line) => line.replace(/^npm error\s*/, '').trim())
      .filter((line) => /^(invalid|missing|extraneous)/.test(line));
    const detail = reasons.length > 0 ? reasons.join('; ') : (ls.stderr || '').trim().split('\n').slice(0, 3).join(' ');
    return [`${lockPath} is out of sync with package.json: ${detail}. ${REGENERATE}`];
  }
  return [];
}

module.exports = { lockProblems };

if (require.main === module) {
  const problems = lockProblems(path.resolve(process.argv[2] || path.join(__dirname, '..')));
  for (const p of problems) console.error(`check-lock: ${p}`);
  if (problems.length === 0) console.log('check-lock: package-lock.json is sound');
  process.exitCode = problems.length === 0 ? 0 : 1;
}
