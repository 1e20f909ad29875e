import ArgumentParser
import Core
import Foundation
import LocalPostgres
import Logging
import PostgresClient
import Transforms

/// Options every command takes.
struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: "The project folder holding sql/, schedules/, dashboards/ and rules/.")
    var project: String = "."

    @Option(
        name: .long,
        help: "libpq URL or conninfo of the database (default: DATABASE_URL, else the embedded cluster under .clv/).")
    var databaseURL: String?

    @Flag(name: .shortAndLong, help: "Log progress to standard error.")
    var verbose = false

    var projectURL: URL {
        URL(fileURLWithPath: project, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
            .standardizedFileURL
    }

    var warehouseProject: Project { Project(root: projectURL) }

    /// A path given on the command line: absolute, or relative to the project folder.
    func projectPath(_ path: String) -> URL {
        path.hasPrefix("/") ? URL(fileURLWithPath: path) : projectURL.appendingPathComponent(path).standardizedFileURL
    }

    var logger: Logger {
        LoggingBootstrap.once(verbose: verbose)
        return Logger(label: "clv")
    }

    /// The embedded cluster of this project (used when no database URL is given).
    var localCluster: LocalCluster { LocalCluster.forProject(projectURL) }

    /// The database URL: `--database-url`, `DATABASE_URL`, or the embedded cluster (started on demand).
    func resolveDatabaseURL() async throws -> String {
        if let databaseURL, !databaseURL.isEmpty { return databaseURL }
        if let url = ProcessInfo.processInfo.environment["DATABASE_URL"], !url.isEmpty { return url }
        return try await localCluster.start(logger: logger)
    }

    func connect() async throws -> PostgresConnection {
        try await PostgresConnection.connect(try await resolveDatabaseURL())
    }
}

/// Bootstraps swift-log once per process: structured lines on standard error.
enum LoggingBootstrap {
    nonisolated(unsafe) private static var done = false

    static func once(verbose: Bool) {
        guard !done else { return }
        done = true
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = verbose ? .info : .notice
            return handler
        }
    }
}

/// Prints an error once, at the edge, and exits non-zero.
func reportingErrors(_ body: () async throws -> Void) async throws {
    do {
        try await body()
    } catch let exit as ExitCode {
        throw exit
    } catch let failure as DataTestRunner.Failure {
        FileHandle.standardError.write(Data("error: \(failure.withTable)\n".utf8))
        throw ExitCode.failure
    } catch {
        FileHandle.standardError.write(Data("error: \(error)\n".utf8))
        throw ExitCode.failure
    }
}

/// Writes a value as pretty, key-sorted JSON on standard output.
func printJSON(_ value: some Encodable) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    encoder.dateEncodingStrategy = .iso8601
    print(String(decoding: try encoder.encode(value), as: UTF8.self))
}

/// Prints query rows as a text table, or as a JSON array of objects (NULL as "").
func printRows(_ rows: PostgresRows, json: Bool) throws {
    guard json else { return print(TextTable.render(columns: rows.columns, rows: rows.map(\.values))) }
    try printJSON(rows.map { row in Dictionary(uniqueKeysWithValues: zip(rows.columns, row.values.map { $0 ?? "" })) })
}

extension DataTestRunner.Failure {
    /// The headline and the returned rows as a text table.
    var withTable: String { headline + "\n" + TextTable.render(columns: columns, rows: rows) }
}
