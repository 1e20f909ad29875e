import PostgresClient

/// The statements that build one plan step, in the order the runner sends them inside one
/// transaction: build, key check, merge, audits, publish.
public struct BuildScript: Sendable {
    /// Creates the new rows (a staging table, a delta, or the view).
    public var build: [Statement]
    /// The relation whose rows the `unique_key` check reads.
    public var keyCheckTarget: String
    /// For full builds: the staged table's unique index, which also proves the key unique (so no
    /// separate duplicate scan is needed unless it fails).
    public var uniqueIndex: Statement? = nil
    /// For incremental merges: applies the delta to the published table.
    public var merge: [Statement]
    /// The relation audits read in place of the transform's name (nil: the name itself).
    public var auditTarget: String?
    /// Puts the new version in place (swap); still inside the transaction.
    public var publish: [Statement]
    /// Runs after dependent views point at the new version: drops the old one.
    public var cleanup: [Statement] = []

    static let deltaTable = "clv_delta"

    /// The statements for `step`. `existingKind` is the relation's current `relkind`, if any.
    public static func make(for step: PlanStep, existingKind: String?) -> BuildScript {
        let transform = step.transform
        let target = Identifier.quoteQualified(transform.name)
        switch step.mode {
        case .view:
            var build: [Statement] = []
            if let existingKind, existingKind != "v" {
                build.append(Statement("drop table \(target) cascade"))
            }
            build.append(
                Statement(
                    prefix: "create or replace view \(target) as\n", body: transform.body, file: transform.file,
                    fileText: transform.text))
            return BuildScript(build: build, keyCheckTarget: transform.name, merge: [], auditTarget: nil, publish: [])
        case .full:
            let staging = Identifier.quoteQualified(transform.stagingName)
            let stagingIndex = Identifier.quote("\(transform.schema)__\(transform.relation)__key")
            let schema = Identifier.quote(transform.schema)
            let build = [
                Statement(
                    prefix: "create table \(staging) as\n", body: transform.body, file: transform.file,
                    fileText: transform.text)
            ]
            // Index and statistics on the staged table first, so the swap holds its lock briefly.
            let uniqueIndex =
                transform.uniqueKey.isEmpty
                ? nil
                : Statement(
                    "create unique index \(stagingIndex) on \(staging) (\(transform.uniqueKey.map(Identifier.quote).joined(separator: ", ")))"
                )
            var publish: [Statement] = []
            publish.append(Statement("analyze \(staging)"))
            publish.append(Statement("create schema if not exists \(schema)"))
            let old = Identifier.quote("\(transform.relation)__clv_old")
            switch existingKind {
            case "r": publish.append(Statement("alter table \(target) rename to \(old)"))
            case .some: publish.append(Statement("drop view \(target) cascade"))
            case nil: break
            }
            publish.append(Statement("alter table \(staging) set schema \(schema)"))
            publish.append(
                Statement(
                    "alter table \(schema).\(Identifier.quote("\(transform.schema)__\(transform.relation)")) rename to \(Identifier.quote(transform.relation))"
                ))
            var cleanup: [Statement] = []
            if existingKind == "r" {
                cleanup.append(Statement("drop table \(schema).\(old)"))
            }
            if !transform.uniqueKey.isEmpty {
                cleanup.append(
                    Statement(
                        "alter index \(schema).\(stagingIndex) rename to \(Identifier.quote("\(transform.relation)_unique_key"))"
                    ))
            }
            return BuildScript(
                build: build, keyCheckTarget: transform.stagingName, uniqueIndex: uniqueIndex, merge: [],
                auditTarget: transform.stagingName, publish: publish, cleanup: cleanup)
        case .incremental:
            let keyMatch = transform.uniqueKey.map { "t.\(Identifier.quote($0)) = d.\(Identifier.quote($0))" }
                .joined(separator: " and ")
            return BuildScript(
                build: [
                    Statement(
                        prefix: "create temp table \(deltaTable) on commit drop as\n", body: transform.body,
                        file: transform.file, fileText: transform.text)
                ],
                keyCheckTarget: deltaTable,
                merge: [
                    Statement("delete from \(target) as t using \(deltaTable) as d where \(keyMatch)"),
                    Statement("insert into \(target) select * from \(deltaTable)"),
                ],
                auditTarget: nil,
                publish: [])
        }
    }

    /// Every statement, in order, for `clv plan --sql`.
    public var allStatements: [String] {
        build.map(\.sql) + (uniqueIndex.map { [$0.sql] } ?? []) + [
            "-- unique_key and audit checks on \(keyCheckTarget)"
        ]
            + merge.map(\.sql)
            + publish.map(\.sql)
            + cleanup.map(\.sql)
    }
}
