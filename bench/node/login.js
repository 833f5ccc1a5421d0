'use strict';
/*
 * The reference row of `nox -s bench`, scenario "1. SRP login": the original Node library,
 * npm's cognito-user-pool 0.2.4, logging in against the bench's stub Cognito.
 *
 * Its configuration comes as one JSON object on standard input:
 *
 *   {"modules": "<folder holding node_modules/cognito-user-pool>",
 *    "endpoint": "http://127.0.0.1:<port>",
 *    "poolId": "...", "clientId": "...", "username": "...", "password": "...",
 *    "warmup": 3, "rounds": 15, "ops": 4}
 *
 * The library builds an amazon-cognito-identity-js CognitoUserPool from the pool data it is
 * given, and that class hands `endpoint` to the AWS SDK's CognitoIdentityServiceProvider
 * client: that is how it reaches the stub rather than AWS. Its requests are unsigned
 * (makeUnauthenticatedRequest), so it needs no credentials.
 *
 * After `warmup` unmeasured logins, it runs `rounds` rounds of `ops` logins, one at a time,
 * and prints one JSON object on standard output: the process's CPU per login in each round
 * (process.cpuUsage(), user + system, every thread of this process), the wall time of each
 * login and each round's logins per second. Any failed login ends it with status 1 and the
 * error on standard error; so does a login whose callback never comes (the SDK drops it when
 * an answer is cut short), which would otherwise let Node exit 0 with nothing printed.
 */

const path = require('path');
const { createRequire } = require('module');

function readStdin() {
  return new Promise((resolve, reject) => {
    const chunks = [];
    process.stdin.on('data', (chunk) => chunks.push(chunk));
    process.stdin.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    process.stdin.on('error', reject);
  });
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function collectGarbage() {
  // Like the Python side's gc.collect() before each round (only with node --expose-gc).
  if (typeof global.gc === 'function') global.gc();
}

async function main() {
  const config = JSON.parse(await readStdin());
  const requireThere = createRequire(path.join(path.resolve(config.modules), 'package.json'));
  const CognitoUserPool = requireThere('cognito-user-pool');
  const version = requireThere('cognito-user-pool/package.json').version;
  const versionOf = (name) => {
    try {
      const there = createRequire(requireThere.resolve('cognito-user-pool'));
      return there(`${name}/package.json`).version;
    } catch (err) {
      return null;
    }
  };

  const pool = CognitoUserPool({
    UserPoolId: config.poolId,
    ClientId: config.clientId,
    endpoint: config.endpoint,
  });
  const body = { username: config.username, password: config.password };

  const login = () =>
    new Promise((resolve, reject) => {
      pool.login(body, (err, data) => {
        if (err) return reject(err);
        if (!data || typeof data.accessToken !== 'string' || !data.accessToken) {
          return reject(new Error(`login gave no access token: ${JSON.stringify(data)}`));
        }
        return resolve(data);
      });
    });

  for (let i = 0; i < config.warmup; i += 1) await login();

  const roundsCpuUs = [];
  const roundsOpsPerS = [];
  const wallMs = [];
  let totalCpuUs = 0;
  for (let r = 0; r < config.rounds; r += 1) {
    collectGarbage();
    const cpu0 = process.cpuUsage();
    const round0 = process.hrtime.bigint();
    for (let i = 0; i < config.ops; i += 1) {
      const start = process.hrtime.bigint();
      await login();
      wallMs.push(Number(process.hrtime.bigint() - start) / 1e6);
    }
    const roundNs = Number(process.hrtime.bigint() - round0);
    const cpu = process.cpuUsage(cpu0);
    const cpuUs = cpu.user + cpu.system;
    totalCpuUs += cpuUs;
    roundsCpuUs.push(cpuUs / config.ops);
    roundsOpsPerS.push(config.ops / (roundNs / 1e9));
  }

  process.stdout.write(
    `${JSON.stringify({
      library: 'cognito-user-pool',
      version,
      node: process.version,
      dependencies: {
        'amazon-cognito-identity-js': versionOf('amazon-cognito-identity-js'),
        'aws-sdk': versionOf('aws-sdk'),
      },
      warmup: config.warmup,
      rounds: config.rounds,
      ops: config.ops,
      cpu_us_per_login: median(roundsCpuUs),
      cpu_us_per_login_mean: totalCpuUs / (config.rounds * config.ops),
      rounds_cpu_us: roundsCpuUs,
      rounds_ops_per_s: roundsOpsPerS,
      wall_ms: wallMs,
    })}\n`,
  );
}

let finished = false;
process.on('exit', (code) => {
  if (!finished && code === 0) {
    process.stderr.write('a login never called back: Node ran out of work before the end\n');
    process.exitCode = 1;
  }
});

main().then(
  () => {
    finished = true;
    process.exit(0);
  },
  (err) => {
    finished = true;
    // The stack for a person reading it, then one line for the bench's note.
    const code = err && err.code ? `${err.code}: ` : '';
    const message = (err && err.message) || err;
    process.stderr.write(`${(err && err.stack) || err}\nlogin failed: ${code}${message}\n`);
    process.exit(1);
  },
);
