#!/usr/bin/env python3
"""Crash soak: kills `clv` with -9 at random (seeded) moments and checks the warehouse after each kill.

Each round picks one of `ingest`, `run`, `predict`, `rules evaluate`, `audiences export` and the
`scheduler` daemon, gives it fresh work, kills it after a random share of its measured duration, and
then checks with SQL (through psql) that nothing is half done:

- loads: every soak file is loaded whole or not at all, and `clv_meta.loads` agrees with the rows
  (every raw row's `_load_id` has a ledger row; each load holds the rows its ledger row counts);
- relations: every relation of `analytics` and `analytics_internal` is readable, predicted CLV is
  published whole; after the next `clv run` (which must succeed) `clv_staging` is empty, no run is
  left `running`, and every transform's state names its current file version;
- incremental == full: every transform's relation dumped as sorted text after the incremental run
  equals the dump after `clv run --full-refresh` (same `--as-of`);
- rules: one slot per paid outcome, slots and the ledger agree, and a full re-evaluation adds nothing;
- audiences: the next export resumes and succeeds, and replaying the destination's files in order
  (add, update, remove) adds each member once and ends with exactly the acknowledged members.

Prints one line per kill and finally `soak: K kills, V invariant violations`; exits 1 on any
violation. Usage: soak.py --clv PATH --database-url URL [--kills 100] [--seed 1] [--customers 2000]
"""
import argparse
import csv
import hashlib
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

AS_OF = "2026-01-01T00:00:00Z"
AUDIENCE = "customers_with_clv"
KINDS = ["ingest", "run", "predict", "rules", "audiences", "scheduler"]


class Soak:
    def __init__(self, args):
        self.args = args
        self.clv = args.clv
        self.url = args.database_url
        self.rng = random.Random(args.seed)
        self.work = Path(tempfile.mkdtemp(prefix="clv-soak-"))
        self.project = self.work / "project"
        self.exports = self.work / "exports"
        self.files = []  # every conversions file written: dicts of path, checksum, prefix, rows, corrects
        self.violations = []
        self.durations = {}
        self.base_load = 0
        self.customers = args.customers

    # -- plumbing ---------------------------------------------------------------------------------

    def sql(self, query):
        """Rows of `query` as lists of text (NULL as None)."""
        out = subprocess.run(
            ["psql", self.url, "-X", "-q", "-A", "-t", "-F", "\t", "-P", "null=\\N", "-v", "ON_ERROR_STOP=1",
             "-c", query], capture_output=True, text=True)
        if out.returncode != 0:
            raise RuntimeError(f"psql: {out.stderr.strip()} in: {query[:200]}")
        return [[None if v == "\\N" else v for v in line.split("\t")] for line in out.stdout.splitlines()]

    def value(self, query):
        return self.sql(query)[0][0]

    def command(self, *arguments):
        return [self.clv, *arguments, "--project", str(self.project), "--database-url", self.url]

    def clv_ok(self, *arguments):
        """Runs clv to completion; returns its output or records a violation."""
        out = subprocess.run(self.command(*arguments), capture_output=True, text=True)
        if out.returncode != 0:
            self.violate(f"`clv {' '.join(arguments)}` failed ({out.returncode}): {out.stderr.strip()[-400:]}")
        return out.stdout

    def violate(self, message):
        self.violations.append(message)
        print(f"  VIOLATION: {message}", flush=True)

    # -- setup ------------------------------------------------------------------------------------

    def setup(self, repository):
        shutil.copytree(repository / "sql", self.project / "sql")
        shutil.copytree(repository / "rules", self.project / "rules")
        (self.project / "incoming").mkdir(parents=True)
        (self.project / "schedules").mkdir()
        (self.project / "schedules" / "soak.yaml").write_text(
            "name: soak\ncron: '* * * * *'\n"
            "steps:\n  - ingest: {kind: conversions, path: incoming/*.csv}\n  - transforms\n  - rules\n"
            f"  - audiences: {{names: [{AUDIENCE}], destinations: [soak]}}\n"
            "retries: {attempts: 5, backoff: 1s}\ncatch_up: once\n")
        (self.project / "audiences.yaml").write_text(
            "destinations:\n"
            f"  - {{name: soak, type: file, format: csv, path: {self.exports}, batch_size: 20, max_removal_share: 1}}\n")
        self.clv_ok("migrate")
        self.clv_ok("generate", "--customers", str(self.customers), "--seed", str(self.args.seed))
        self.base_load = int(self.value("select last_value from clv_meta.load_seq"))
        self.clv_ok("rules", "apply")
        for kind, arguments in [
            ("run", ["run", "--as-of", AS_OF]),
            ("predict", ["predict", "--as-of", AS_OF[:10]]),
            ("rules", ["rules", "evaluate"]),
            ("audiences", ["audiences", "export", AUDIENCE, "--destination", "soak"]),
        ]:
            started = time.monotonic()
            self.clv_ok(*arguments)
            self.durations[kind] = max(time.monotonic() - started, 0.3)
        self.durations.update({
            "ingest": 1.0, "run --full-refresh": 2 * self.durations["run"], "rules --full": self.durations["rules"],
            "audiences": 3 * self.durations["audiences"], "scheduler": 8.0,
        })
        self.transforms = {}
        for path in sorted((self.project / "sql" / "transforms").rglob("*.sql")):
            text = path.read_bytes()
            name = next(line.split(":", 1)[1].strip() for line in text.decode().splitlines()
                        if line.startswith("-- name:"))
            self.transforms[name] = hashlib.sha256(text).hexdigest()
        if self.violations:
            raise SystemExit("soak: setup failed")

    # -- work for the killed command ----------------------------------------------------------------

    def conversions_file(self, folder, rows):
        """A new conversions CSV: fresh keys for existing (and a few new) customers, or, one time in
        four, corrections of the revenue of every row of an earlier loaded file."""
        number = len(self.files) + 1
        ledger = {row[0] for row in self.sql("select checksum from clv_meta.loads")}
        loaded = [f for f in self.files if f["corrects"] is None and not f.get("corrected") and f["checksum"] in ledger]
        target = self.rng.choice(loaded) if loaded and self.rng.random() < 0.25 else None
        path = folder / f"soak-{number:04d}.csv"
        with open(path, "w", newline="") as out:
            writer = csv.writer(out)
            writer.writerow(["conversion_id", "user_id", "occurred_at", "event", "revenue", "geo", "deposit"])
            if target:
                for key, customer, at in target["keys"]:
                    writer.writerow([key, customer, at, "deposit", f"{number}.125", "EU1", f"{number}.125"])
                keys = target["keys"]
                target["corrected"] = True
            else:
                keys = []
                for row in range(rows):
                    customer = f"cust_{self.rng.randrange(self.customers + self.customers // 20)}"
                    at = f"2025-{self.rng.randint(1, 12):02d}-{self.rng.randint(1, 28):02d}T12:00:00Z"
                    key = f"soak-{number}-{row}"
                    keys.append((key, customer, at))
                    amount = f"{self.rng.paretovariate(1.5) * 20:.2f}"
                    writer.writerow([key, customer, at, "deposit", amount, "EU1", amount])
        entry = {
            "path": path, "checksum": hashlib.sha256(path.read_bytes()).hexdigest(), "keys": keys,
            "corrects": target, "number": number,
        }
        self.files.append(entry)
        return entry

    def ingest_quietly(self, rows):
        entry = self.conversions_file(self.work, rows)
        self.clv_ok("ingest", "conversions", str(entry["path"]))

    def prepare(self, kind):
        """Gives `kind` work to do; returns its command line and the key of its expected duration."""
        if kind == "ingest":
            entry = self.conversions_file(self.work, self.rng.randint(2000, 6000))
            return self.command("ingest", "conversions", str(entry["path"])), "ingest"
        if kind == "run":
            self.ingest_quietly(self.rng.randint(50, 500))
            full = self.rng.random() < 0.4
            arguments = ["run", "--as-of", AS_OF] + (["--full-refresh"] if full else [])
            return self.command(*arguments), "run --full-refresh" if full else "run"
        if kind == "predict":
            return self.command("predict", "--as-of", AS_OF[:10]), "predict"
        if kind == "rules":
            self.ingest_quietly(self.rng.randint(50, 500))
            full = self.rng.random() < 0.3
            return self.command("rules", "evaluate", *(["--full"] if full else [])), "rules --full" if full else "rules"
        if kind == "audiences":
            # Many customers' CLV changes, so the diff is many batches.
            self.ingest_quietly(self.customers // 2)
            self.clv_ok("run", "--as-of", AS_OF)
            return self.command("audiences", "export", AUDIENCE, "--destination", "soak"), "audiences"
        # The scheduler: a new file to ingest, and the dead daemon's lease run out (as it would
        # after 60 s), so the new daemon retries its slot at once.
        self.conversions_file(self.project / "incoming", self.rng.randint(200, 1000))
        self.sql("update clv_meta.schedule_slots set lease_until = now() - interval '1 second' where status = 'running'")
        return self.command("scheduler"), "scheduler"

    # -- one round ----------------------------------------------------------------------------------

    def kill_round(self, kind):
        """Starts the command and kills it; returns whether the kill landed before it finished."""
        arguments, key = self.prepare(kind)
        delay = self.rng.uniform(0.02, self.durations[key])
        started = time.monotonic()
        process = subprocess.Popen(arguments, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        try:
            process.wait(timeout=delay)
        except subprocess.TimeoutExpired:
            process.send_signal(signal.SIGKILL)
            process.wait()
            return True, f"{key} after {delay:.2f} s"
        # Finished first: aim earlier next time.
        self.durations[key] = max(0.1, 0.9 * (time.monotonic() - started))
        if process.returncode != 0:
            self.violate(f"{kind} failed before the kill: {process.stderr.read().decode()[-400:]}")
        return False, f"{key} within {delay:.2f} s"

    def wait_for_sessions(self):
        """Waits until the killed process's sessions are gone (their transactions rolled back)."""
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            others = self.value(
                "select count(*) from pg_stat_activity where datname = current_database() "
                "and pid <> pg_backend_pid() and backend_type = 'client backend'")
            if others == "0":
                return
            time.sleep(0.05)
        self.violate("sessions of the killed process still open after 60 s")

    # -- invariants ---------------------------------------------------------------------------------

    def check_loads(self):
        ledger = {}
        for checksum, load_id, read, inserted, updated in self.sql(
                "select checksum, load_id, rows_read, inserted, updated from clv_meta.loads where kind = 'conversions'"):
            ledger.setdefault(checksum, []).append((int(load_id), int(read), int(inserted), int(updated)))
        # Rows of each soak file's keys (soak-FILE-ROW), by the load that wrote them last.
        rows = {}
        for number, load_id, count in self.sql(
                "select split_part(conversion_id, '-', 2), _load_id, count(*) from raw.conversions "
                "where conversion_id like 'soak-%' group by 1, 2"):
            rows.setdefault(int(number), {})[int(load_id)] = int(count)
        for entry in self.files:
            loads = ledger.get(entry["checksum"], [])
            keys_of = entry["corrects"]["number"] if entry["corrects"] else entry["number"]
            present = sum(rows.get(keys_of, {}).values())
            expected = len(entry["keys"])
            name = entry["path"].name
            if not loads:
                if entry["corrects"] is None and present:
                    self.violate(f"{name}: not in the ledger, yet {present} of its rows are loaded")
                continue
            if len(loads) != 1:
                self.violate(f"{name}: {len(loads)} ledger rows")
            load_id, read, inserted, updated = loads[0]
            if read != expected or inserted + updated != expected:
                self.violate(f"{name}: ledger read {read}, inserted {inserted}, updated {updated}; "
                             f"the file has {expected} rows")
            if present != expected:
                self.violate(f"{name}: half loaded: {present} of {expected} rows")
            correction = next((f for f in self.files if f["corrects"] is entry), None)
            corrected_later = correction is not None and correction["checksum"] in ledger
            stamped = rows.get(keys_of, {}).get(load_id, 0)
            if stamped != (0 if corrected_later else expected):
                self.violate(f"{name}: load {load_id} holds {stamped} rows, its ledger row {expected}")
        orphans = self.sql(
            f"select distinct _load_id from raw.conversions where _load_id > {self.base_load} "
            "except select load_id from clv_meta.loads")
        if orphans:
            self.violate(f"rows of loads missing from the ledger: {[o[0] for o in orphans][:5]}")

    def check_relations(self):
        relations = self.sql(
            "select format('%I.%I', table_schema, table_name) from information_schema.tables "
            "where table_schema in ('analytics', 'analytics_internal')")
        script = "".join(f"select count(*) from {name};\n" for (name,) in relations)
        out = subprocess.run(["psql", self.url, "-X", "-q", "-A", "-t"], input=script, capture_output=True,
                             text=True)
        if out.returncode != 0 or "ERROR" in out.stderr:
            self.violate(f"a relation is not readable: {out.stderr.strip()[:300]}")
        missing = [name for name, exists in self.sql(" union all ".join(
            f"select '{name}', to_regclass('{name}') is not null" for name in self.transforms)) if exists != "t"]
        if missing:
            self.violate(f"published relations gone: {missing}")
        rfm, predicted = self.sql(
            "select (select count(*) from analytics.customer_rfm), (select count(*) from analytics.predicted_clv)")[0]
        if rfm != predicted:
            self.violate(f"predicted CLV half published: customer_rfm {rfm} rows, predicted_clv {predicted}")

    def check_after_run(self):
        leftovers = self.sql(
            "select c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace "
            "where n.nspname = 'clv_staging'")
        if leftovers:
            self.violate(f"clv_staging holds leftovers after a run: {[r[0] for r in leftovers][:5]}")
        running = self.value("select count(*) from clv_meta.runs where status = 'running'")
        if running != "0":
            self.violate(f"{running} run(s) still marked running after a successful run")
        state = {r[0]: r[1:] for r in self.sql(
            "select transform, version, to_regclass(transform) is not null, load_watermark "
            "<= (select last_value from clv_meta.load_seq) from clv_meta.transform_state")}
        for name, version in self.transforms.items():
            row = state.get(name)
            if row is None or row[0] != version or row[1] != "t" or row[2] != "t":
                self.violate(f"transform_state of {name} inconsistent: {row}")

    def check_rules(self):
        problems = self.sql("""
            select 'duplicate slot ' || rule_name || '/' || customer_id from clv_meta.rule_match_slots
            group by rule_name, customer_id, scope_key, slot_key having count(*) > 1
            union all
            select 'slot without its unreversed match ' || s.match_id from clv_meta.rule_match_slots s
            left join analytics.rule_matches m on m.match_id = s.match_id and m.entry = 'match'
                and m.rule_name = s.rule_name and m.customer_id = s.customer_id and m.amount = s.amount
            where m.match_id is null
               or exists (select 1 from analytics.rule_matches r where r.reverses = s.match_id)
            union all
            select 'unreversed match without a slot ' || m.match_id from analytics.rule_matches m
            where m.entry = 'match'
              and not exists (select 1 from analytics.rule_matches r where r.reverses = m.match_id)
              and not exists (select 1 from clv_meta.rule_match_slots s where s.match_id = m.match_id)
            union all
            select 'reversal not negating its match ' || r.match_id from analytics.rule_matches r
            join analytics.rule_matches m on m.match_id = r.reverses
            where r.entry = 'reversal' and r.amount <> -m.amount
            union all
            select 'match reversed twice ' || reverses from analytics.rule_matches
            where reverses is not null group by reverses having count(*) > 1
            """)
        for (problem,) in problems[:5]:
            self.violate(f"rules: {problem}")

    def check_rules_reevaluation(self):
        self.clv_ok("rules", "evaluate")
        before = self.value("select count(*) from analytics.rule_matches")
        self.clv_ok("rules", "evaluate", "--full")
        after = self.value("select count(*) from analytics.rule_matches")
        if before != after:
            self.violate(f"rules: a full re-evaluation after the incremental one added {int(after) - int(before)} rows")

    def check_audience_state(self):
        problems = self.sql("""
            select 'two unfinished exports of ' || audience from clv_meta.audience_exports
            where status = 'running' group by audience, destination having count(*) > 1
            union all
            select 'export ' || e.export_id || ' succeeded with undelivered batches' from clv_meta.audience_exports e
            where e.status = 'success' and exists (
                select 1 from clv_meta.audience_batches b where b.export_id = e.export_id and not b.delivered)
            union all
            select 'export ' || e.export_id || ' succeeded but kept its change set' from clv_meta.audience_exports e
            where e.status = 'success' and exists (
                select 1 from clv_meta.audience_changes c where c.export_id = e.export_id)
            union all
            select 'export ' || export_id || ' delivered more batches than it has'
            from clv_meta.audience_exports where delivered_batches > batches
            """)
        for (problem,) in problems[:5]:
            self.violate(f"audiences: {problem}")

    def check_audience_files(self):
        self.clv_ok("audiences", "export", AUDIENCE, "--destination", "soak")
        if self.value("select count(*) from clv_meta.audience_exports where status = 'running'") != "0":
            self.violate("audiences: an export is still unfinished after a resumed export")
        members = {}
        if self.exports.exists():
            for path in sorted(p for p in self.exports.iterdir()
                               if p.name.startswith(AUDIENCE) and p.suffix == ".csv"):
                with open(path, newline="") as source:
                    for row in csv.DictReader(source):
                        identity, action = row["email"], row["action"]
                        if action == "add" and identity in members:
                            self.violate(f"audiences: {identity} added twice ({path.name})")
                        elif action in ("update", "remove") and identity not in members:
                            self.violate(f"audiences: {action} of {identity}, who is not a member ({path.name})")
                        if action == "remove":
                            members.pop(identity, None)
                        else:
                            members[identity] = row["customer_id"]
        acknowledged = dict(self.sql(
            f"select identity, customer_id from clv_meta.audience_members "
            f"where audience = '{AUDIENCE}' and destination = 'soak'"))
        if members != acknowledged:
            missing = set(acknowledged) - set(members)
            extra = set(members) - set(acknowledged)
            self.violate(f"audiences: destination files and acknowledged members differ: {len(missing)} missing "
                         f"from the files, {len(extra)} only in the files")

    def dump(self):
        """Each transform's relation as a digest of its rows as sorted text."""
        return dict(self.sql(" union all ".join(
            f"select '{name}', md5(coalesce(string_agg(t::text, E'\\n' order by t::text), '')) from {name} as t"
            for name in self.transforms)))

    def check(self):
        """Checks what a kill may have left, then recovers (next run, evaluation, export) and checks
        that the recovery finishes everything."""
        self.wait_for_sessions()
        self.check_loads()
        self.check_relations()
        self.check_rules()
        self.check_audience_state()
        self.clv_ok("run", "--as-of", AS_OF)
        self.check_after_run()
        incremental = self.dump()
        self.check_rules_reevaluation()
        self.check_rules()
        self.check_audience_files()
        self.clv_ok("run", "--full-refresh", "--as-of", AS_OF)
        full = self.dump()
        # analytics.build_info says when each relation was built: two builds differ there by design.
        for name in self.transforms:
            if name != "analytics.build_info" and incremental[name] != full[name]:
                self.violate(f"incremental != full refresh for {name}")

    # -- the soak -------------------------------------------------------------------------------

    def soak(self):
        kills = 0
        rounds = 0
        while kills < self.args.kills:
            kind = KINDS[rounds % len(KINDS)] if rounds < len(KINDS) else self.rng.choice(KINDS)
            rounds += 1
            before = len(self.violations)
            started = time.monotonic()
            killed, what_ran = self.kill_round(kind)
            kills += killed
            self.check()
            verdict = "ok" if len(self.violations) == before else f"{len(self.violations) - before} violation(s)"
            what = f"kill {kills}/{self.args.kills}" if killed else "finished before the kill"
            print(f"{what}: {what_ran}; checked in {time.monotonic() - started:.1f} s: {verdict}",
                  flush=True)
        print(f"soak: {kills} kills, {len(self.violations)} invariant violations", flush=True)
        return 1 if self.violations else 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clv", required=True)
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--kills", type=int, default=100)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--customers", type=int, default=2000)
    args = parser.parse_args()
    soak = Soak(args)
    try:
        soak.setup(Path(__file__).resolve().parent.parent)
        status = soak.soak()
    finally:
        shutil.rmtree(soak.work, ignore_errors=True)
    sys.exit(status)


if __name__ == "__main__":
    main()
