// Spawning, stopping and measuring devnet processes. Every child gets its own process
// group (detached) so that wrappers and their children are killed together, by our PID.
import { spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";

const live = new Set();

// Last resort on exit, Ctrl-C or a crash: SIGKILL every group we started and that still runs.
export function killAllSync() {
  for (const pid of live) {
    try {
      process.kill(-pid, "SIGKILL");
    } catch {}
  }
  live.clear();
}
process.on("exit", killAllSync);
for (const [signal, code] of [
  ["SIGINT", 130],
  ["SIGTERM", 143],
]) {
  process.on(signal, () => {
    killAllSync();
    process.exit(code);
  });
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// The OS picks a free loopback port (fixed ports collide with devnets other people run).
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

// Output goes to a file, not a pipe: a chatty devnet (Hardhat logs every request) then costs
// the bench process nothing, and the file tail explains a failed start.
export function start(name, cmd, args, { cwd, env } = {}) {
  const logPath = path.join(os.tmpdir(), `bench-${name}-${process.pid}-${Date.now()}.log`);
  const fd = fs.openSync(logPath, "w");
  const child = spawn(cmd, args, { cwd, env, detached: true, stdio: ["ignore", fd, fd] });
  fs.closeSync(fd);
  const proc = { name, pid: child.pid, logPath, exit: null };
  if (child.pid) live.add(child.pid);
  proc.exited = new Promise((resolve) => {
    const done = (info) => {
      live.delete(child.pid);
      proc.exit ??= info;
      resolve(proc.exit);
    };
    child.once("exit", (code, signal) => done(signal ? `signal ${signal}` : `exit code ${code}`));
    child.once("error", (err) => done(err.message));
  });
  return proc;
}

export function logTail(proc, bytes = 1500) {
  try {
    const text = fs.readFileSync(proc.logPath, "utf8");
    return text.slice(-bytes).trim();
  } catch {
    return "";
  }
}

// SIGTERM the group, SIGKILL after 3 s; SIGKILL the group again in case the leader left
// children behind. The log is kept only if asked (failed runs).
export async function stop(proc, { keepLog = false } = {}) {
  const signalGroup = (sig) => {
    try {
      process.kill(-proc.pid, sig);
    } catch {}
  };
  if (proc.pid && !proc.exit) {
    signalGroup("SIGTERM");
    const timer = sleep(3000).then(() => "timeout");
    if ((await Promise.race([proc.exited, timer])) === "timeout") signalGroup("SIGKILL");
    await proc.exited;
  }
  if (proc.pid) signalGroup("SIGKILL");
  if (!keepLog) fs.rmSync(proc.logPath, { force: true });
}

// Resident memory of the whole process group (VmRSS from /proc), in MB.
export function groupRssMB(pgid) {
  let kb = 0;
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
      // Fields after "comm)": state ppid pgrp ...; comm itself may contain spaces.
      const pgrp = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[2]);
      if (pgrp !== pgid) continue;
      const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${entry}/status`, "utf8"));
      if (m) kb += Number(m[1]);
    } catch {} // the process ended while we read it
  }
  return kb / 1024;
}
