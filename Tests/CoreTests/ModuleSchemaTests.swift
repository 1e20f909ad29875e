import Audiences
import Foundation
import Ingest
import PostgresClient
import Scheduler
import TestSupport
import Testing

@testable import Core

/// Each module creates its own tables from its resource scripts, once, on top of Core's.
@Suite struct ModuleSchemaTests {
    func relations(_ names: [String], on connection: PostgresConnection) async throws -> [String: Bool] {
        var present: [String: Bool] = [:]
        for name in names {
            present[name] = try await connection.query(
                "select to_regclass(\(name)) is not null as present")[0].decode(Bool.self, "present")
        }
        return present
    }

    func ledger(_ connection: PostgresConnection) async throws -> [String] {
        try await connection.query(
            "select module || ' ' || version || ' ' || name || ' ' || (checksum like 'adopted%') as entry from clv_meta.module_schemas order by 1"
        ).map { try $0.decode(String.self, "entry") }
    }

    @Test func aModuleCreatesCoreAndItsOwnTablesOnly() async throws {
        let database = try await TestDatabase.make()
        let connection = try await database.connect()
        try await ModuleSchema.scheduler.ensure(on: connection)
        try await ModuleSchema.scheduler.ensure(on: connection)
        let present = try await relations(
            [
                "clv_meta.runs", "clv_meta.transform_state", "clv_meta.schedule_slots", "clv_meta.loads",
                "clv_meta.audience_exports",
            ], on: connection)
        #expect(
            present == [
                "clv_meta.runs": true, "clv_meta.transform_state": true, "clv_meta.schedule_slots": true,
                "clv_meta.loads": false, "clv_meta.audience_exports": false,
            ])
        #expect(try await ledger(connection) == ["Core 1 core false", "Scheduler 1 schedules false"])
        try await ModuleSchema.audiences.ensure(on: connection)
        try await ModuleSchema.ingest.ensure(on: connection)
        #expect(
            try await ledger(connection) == [
                "Audiences 1 audience_exports false", "Audiences 2 export_batches false",
                "Audiences 3 change_sets_by_export false", "Core 1 core false", "Ingest 1 loads false",
                "Scheduler 1 schedules false",
            ])
        try await database.drop()
    }

    @Test func aDatabaseFromBeforeTheModulesIsAdopted() async throws {
        let database = try await TestDatabase.make()
        let connection = try await database.connect()
        for schema in [ModuleSchema.ingest, .scheduler, .audiences] { try await schema.ensure(on: connection) }
        // What an older clv left: the same tables, listed as 11 upgrades in clv_meta.meta_version.
        try await connection.executeScript(
            """
            delete from clv_meta.module_schemas;
            create table clv_meta.meta_version (version integer primary key, applied_at timestamptz not null default now());
            insert into clv_meta.meta_version (version) select generate_series(1, 10);
            """)
        try await ModuleSchema.scheduler.ensure(on: connection)
        #expect(
            try await ledger(connection) == [
                "Audiences 1 audience_exports true", "Core 1 core true", "Ingest 1 loads true",
                "Scheduler 1 schedules true",
            ])
        #expect(try await relations(["clv_meta.meta_version"], on: connection) == ["clv_meta.meta_version": false])
        try await database.drop()
    }

    @Test func anOlderDatabaseIsFinishedThenAdopted() async throws {
        let database = try await TestDatabase.make()
        let connection = try await database.connect()
        // What a clv from before upgrade 10 left: no change-column marks yet.
        for schema in [ModuleSchema.ingest, .scheduler, .audiences] { try await schema.ensure(on: connection) }
        try await connection.executeScript(
            """
            delete from clv_meta.module_schemas;
            alter table clv_meta.transform_state drop column source_marks;
            drop function clv_meta.since_mark(text);
            create table clv_meta.meta_version (version integer primary key);
            insert into clv_meta.meta_version select generate_series(1, 9);
            """)
        try await ModuleSchema.core.ensure(on: connection)
        let marks = try await connection.query(
            """
            select count(*) as n from pg_attribute
            where attrelid = 'clv_meta.transform_state'::regclass and attname = 'source_marks'
            """)[0].decode(Int.self, "n")
        #expect(marks == 1)
        #expect(try await ledger(connection).count == 4)
        try await database.drop()
    }

    @Test func anOldListNoClvMadeIsRefused() async throws {
        let database = try await TestDatabase.make()
        let connection = try await database.connect()
        try await connection.executeScript(
            """
            create schema clv_meta;
            create table clv_meta.meta_version (version integer primary key);
            insert into clv_meta.meta_version values (12);
            """)
        await #expect {
            try await ModuleSchema.core.ensure(on: connection)
        } throws: { error in
            "\(error)".contains("upgrade 12, which no clv made")
        }
        try await database.drop()
    }

    @Test func aScriptChangedAfterItWasAppliedIsRefused() async throws {
        let database = try await TestDatabase.make()
        let connection = try await database.connect()
        let created = "create table clv_meta.notes (note text);\n"
        try await ModuleSchema(module: "Notes", files: ["schema/0001_notes": created]).ensure(on: connection)
        let edited = ModuleSchema(
            module: "Notes", files: ["schema/0001_notes": "create table clv_meta.notes (note text, author text);\n"])
        await #expect {
            try await edited.ensure(on: connection)
        } throws: { error in
            "\(error)".hasPrefix(
                "Sources/Notes/SQL/schema/0001_notes.sql: Notes schema script was changed after it was applied")
        }
        // Entries outside schema/ are the module's other SQL, not its schema.
        try await ModuleSchema(
            module: "Notes",
            files: [
                "schema/0001_notes": created,
                "schema/0002_authors": "alter table clv_meta.notes add column author text;\n",
                "notes_by_author": "select * from clv_meta.notes where author = $1",
            ]
        ).ensure(on: connection)
        #expect(
            try await ledger(connection).filter { $0.hasPrefix("Notes") } == [
                "Notes 1 notes false", "Notes 2 authors false",
            ])
        try await database.drop()
    }

    /// `clv_meta.next_load_id()` takes the ingest barrier by number: it must be `LockKeys.ingestBarrier`.
    @Test func theIngestBarrierInSQLIsTheSwiftConstant() async throws {
        let database = try await TestDatabase.make()
        let connection = try await database.connect()
        try await ModuleSchema.core.ensure(on: connection)
        let body = try await connection.query(
            "select prosrc from pg_proc where oid = 'clv_meta.next_load_id'::regproc")[0].decode(String.self, "prosrc")
        #expect(body.contains("pg_advisory_xact_lock_shared(\(LockKeys.ingestBarrier))"))
        try await database.drop()
    }
}
