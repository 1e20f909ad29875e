import Foundation

/// Where a project's embedded cluster keeps its data and its socket.
///
/// The cluster lives in `<home>/postgres` when the server's user can reach it. As root the server
/// runs as `postgres`, which cannot enter a private folder such as `/root/project` or a `0700`
/// `mktemp -d`: the cluster then lives under ``systemRoot`` in a folder named after the project
/// path, and `<home>/postgres.location` records where, so every later command finds it. A socket
/// path too long for Unix sockets (107 bytes) moves the socket alone to a short private folder.
struct ClusterPlacement: Equatable, Sendable {
    /// The folder holding `data/` and `server.log`.
    var root: URL
    /// The folder of the Unix socket.
    var socket: URL
    /// True when `root` is not under the clv home (the server's user cannot reach it).
    var relocated: Bool

    /// Where relocated clusters live: a system folder every user can traverse.
    static let systemRoot = URL(fileURLWithPath: "/var/lib/clv/clusters")
    /// The file in the clv home that names a relocated cluster's root.
    static func marker(home: URL) -> URL { home.appendingPathComponent("postgres.location") }
    /// The server's socket file name for `port`.
    static func socketName(port: Int) -> String { ".s.PGSQL.\(port)" }

    /// The placement recorded for `home`: the relocated root when the marker names one, else `<home>/postgres`.
    static func recorded(home: URL, port: Int) -> ClusterPlacement {
        if let text = try? String(contentsOf: marker(home: home), encoding: .utf8) {
            let path = text.trimmingCharacters(in: .whitespacesAndNewlines)
            if path.hasPrefix("/") { return placing(root: URL(fileURLWithPath: path), port: port, relocated: true) }
        }
        return placing(root: home.appendingPathComponent("postgres"), port: port, relocated: false)
    }

    /// The relocated placement for `home`: `<systemRoot>/<folder name>-<hash of the home path>`.
    static func relocated(home: URL, port: Int) -> ClusterPlacement {
        let project = home.lastPathComponent == ".clv" ? home.deletingLastPathComponent() : home
        let name = String(project.lastPathComponent.unicodeScalars.map { isPlain($0) ? Character($0) : "_" }.prefix(24))
        let root = systemRoot.appendingPathComponent("\(name.isEmpty ? "project" : name)-\(hash(home.path))")
        return placing(root: root, port: port, relocated: true)
    }

    /// `root` with its socket beside the data, or in `/tmp/clv-<uid>-<hash>` when that path is too long.
    static func placing(root: URL, port: Int, relocated: Bool) -> ClusterPlacement {
        let socketFile = root.path + "/" + socketName(port: port)
        let socket =
            socketFile.utf8.count < 108
            ? root : URL(fileURLWithPath: "/tmp/clv-\(geteuid())-\(hash(root.path))")
        return ClusterPlacement(root: root, socket: socket, relocated: relocated)
    }

    /// 12 hex digits of FNV-1a over the path: stable across runs and machines.
    static func hash(_ text: String) -> String {
        var value: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            value ^= UInt64(byte)
            value = value &* 0x100_0000_01b3
        }
        let hex = String(value, radix: 16)
        return String((String(repeating: "0", count: 16 - hex.count) + hex).prefix(12))
    }

    private static func isPlain(_ scalar: Unicode.Scalar) -> Bool {
        scalar.isASCII && (CharacterSet.alphanumerics.contains(scalar) || scalar == "-" || scalar == "_")
    }
}
