import Core
import Foundation
import PostgresClient

/// An audience from `sql/audiences/NAME.sql`: a SELECT returning one row per member.
public struct Audience: Sendable {
    public var name: String
    /// Relative to the project folder.
    public var file: String
    public var description: String
    /// The column holding the member's email.
    public var identity: String
    /// Columns carried to destinations (e.g. first_name, clv_decile, partner_id).
    public var attributes: [String]
    /// The SELECT, without its header's trailing semicolon.
    public var sql: String
    /// Audiences this one reads (`audiences.NAME`).
    public var dependsOn: [String]
}

/// Every audience in `sql/audiences`, in dependency order. An audience reads another as
/// `audiences.NAME`; clv inlines it as a common table expression, so nothing persistent depends
/// on the analytics relations an audience reads.
public struct AudienceCatalog: Sendable {
    public var audiences: [Audience]

    /// `sql/audiences` of the project.
    public static func directory(_ project: Project) -> URL {
        project.audiencesDirectory
    }

    /// Reads and checks every file; unknown header keys, a missing identity, unknown or cyclic
    /// dependencies are errors naming the file.
    public static func load(_ project: Project) throws -> AudienceCatalog {
        var audiences: [Audience] = []
        for url in try project.sqlFiles(in: directory(project)) {
            let file = project.relativePath(url)
            let text = try project.read(url)
            let header = try SQLFileHeader.parse(
                text, file: file, allowedKeys: ["name", "description", "identity", "attributes"])
            let name = header.fields["name"]?.value ?? url.deletingPathExtension().lastPathComponent
            guard name.range(of: "^[a-z][a-z0-9_]*$", options: .regularExpression) != nil else {
                throw WarehouseError("audience name '\(name)' must be lower-case letters, digits and _", at: file)
            }
            guard let identity = header.fields["identity"]?.value, !identity.isEmpty else {
                throw WarehouseError("missing '-- identity: email' header (the column holding the email)", at: file)
            }
            let body = statementBody(of: text)
            let reads = SQLLexer.qualifiedNames(in: body).map(\.name).filter { $0.hasPrefix("audiences.") }
            audiences.append(
                Audience(
                    name: name, file: file, description: header.fields["description"]?.value ?? "",
                    identity: identity, attributes: header.list("attributes"), sql: body,
                    dependsOn: Array(Set(reads.map { String($0.dropFirst("audiences.".count)) })).sorted()))
        }
        var seen = Set<String>()
        for audience in audiences {
            guard seen.insert(audience.name).inserted else {
                throw WarehouseError("audience '\(audience.name)' is defined twice", at: audience.file)
            }
        }
        return AudienceCatalog(audiences: try ordered(audiences))
    }

    /// The audience called `name`, or an error listing the known ones.
    public func audience(_ name: String) throws -> Audience {
        guard let audience = audiences.first(where: { $0.name == name }) else {
            throw WarehouseError(
                "no audience named '\(name)' (have: \(audiences.map(\.name).joined(separator: ", ")))")
        }
        return audience
    }

    /// The audience's SELECT with every audience it reads, directly or not, inlined:
    /// `with audience__a as (…), audience__b as (…) select * from (…) as audience`.
    public func expandedSQL(_ audience: Audience) -> String {
        var needed: [String] = []
        func collect(_ name: String) {
            guard let current = audiences.first(where: { $0.name == name }) else { return }
            for dependency in current.dependsOn where !needed.contains(dependency) {
                collect(dependency)
                if !needed.contains(dependency) { needed.append(dependency) }
            }
        }
        collect(audience.name)
        func inlined(_ sql: String) -> String {
            audiences.reduce(sql) { text, other in
                SQLLexer.replacingReferences(to: "audiences.\(other.name)", with: "audience__\(other.name)", in: text)
            }
        }
        let body = "select * from (\n\(inlined(audience.sql))\n) as audience"
        guard !needed.isEmpty else { return body }
        let ctes = needed.compactMap { name in audiences.first { $0.name == name } }
            .map { "audience__\($0.name) as (\n\(inlined($0.sql))\n)" }
        return "with " + ctes.joined(separator: ",\n") + "\n" + body
    }

    private static func ordered(_ audiences: [Audience]) throws -> [Audience] {
        let byName = Dictionary(uniqueKeysWithValues: audiences.map { ($0.name, $0) })
        var done = Set<String>()
        var result: [Audience] = []
        func visit(_ audience: Audience, path: [String]) throws {
            if done.contains(audience.name) { return }
            if path.contains(audience.name) {
                throw WarehouseError(
                    "audiences depend on each other in a cycle: \((path + [audience.name]).joined(separator: " → "))",
                    at: audience.file)
            }
            for dependency in audience.dependsOn {
                guard let upstream = byName[dependency] else {
                    throw WarehouseError("reads audiences.\(dependency), which no file defines", at: audience.file)
                }
                try visit(upstream, path: path + [audience.name])
            }
            done.insert(audience.name)
            result.append(audience)
        }
        for audience in audiences.sorted(by: { $0.name < $1.name }) { try visit(audience, path: []) }
        return result
    }
}
