import Foundation
import Hummingbird
import Ingest
import Logging
import PostgresClient

/// Turns one HTTP request into a recorded conversion, or a 4xx that says which parameter is wrong.
struct PostbackHandler: Sendable {
    let pool: ConnectionPool
    let configuration: PostbackServer.Configuration
    let logger: Logger
    let writer = PostbackWriter()

    func handle(_ request: Request) async -> Response {
        var request = request
        var parameters: [(String, String)]
        do {
            parameters = try FormDecoding.decode(Substring(request.uri.query ?? ""))
        } catch let malformed as FormDecoding.Malformed {
            return refuse(
                .badRequest, parameter: malformed.parameter, reason: "malformed percent-encoding or invalid UTF-8")
        } catch {
            return refuse(.badRequest, parameter: "query", reason: "\(error)")
        }
        var fields: [(String, FieldValue)] = parameters.map { ($0.0, .text($0.1)) }
        if request.method == .post {
            let body: ByteBuffer
            do {
                body = try await request.collectBody(upTo: configuration.maxBodyBytes)
            } catch {
                return refuse(
                    .contentTooLarge, parameter: "body", reason: "larger than \(configuration.maxBodyBytes) bytes")
            }
            let bytes = Array(body.readableBytesView)
            let contentType = request.headers[.contentType] ?? ""
            if contentType.hasPrefix("application/json") {
                var parser = JSONLineParser(bytes: bytes[...])
                switch parser.parseObject() {
                case .success(let object): fields += object
                case .failure(let error): return refuse(.badRequest, parameter: "body", reason: error.reason)
                }
            } else if !bytes.isEmpty {
                guard let text = String(validating: bytes, as: UTF8.self) else {
                    return refuse(.badRequest, parameter: "body", reason: "not valid UTF-8")
                }
                do {
                    fields += try FormDecoding.decode(Substring(text)).map { ($0.0, FieldValue.text($0.1)) }
                } catch let malformed as FormDecoding.Malformed {
                    return refuse(
                        .badRequest, parameter: malformed.parameter,
                        reason: "malformed percent-encoding or invalid UTF-8")
                } catch {
                    return refuse(.badRequest, parameter: "body", reason: "\(error)")
                }
            }
        }
        guard fields.count <= configuration.maxParameters else {
            return refuse(
                .badRequest, parameter: "request", reason: "more than \(configuration.maxParameters) parameters")
        }
        let sentToken = fields.first { $0.0 == "token" }?.1.scalarText ?? request.headers[.init("X-CLV-Token")!]
        fields.removeAll { $0.0 == "token" }
        if let token = configuration.token, sentToken != token {
            return refuse(.unauthorized, parameter: "token", reason: sentToken == nil ? "missing" : "wrong")
        }
        let postback = fields
        do {
            let outcome = try await pool.withConnection { connection in
                try await writer.record(postback, receivedAt: Date(), on: connection)
            }
            switch outcome {
            case .inserted(let id):
                logger.info("postback recorded", metadata: ["conversion.id": "\(id)"])
                return JSONResponse.make(.ok, ["status": "recorded", "conversion_id": id])
            case .duplicate(let id):
                return JSONResponse.make(.ok, ["status": "duplicate", "conversion_id": id])
            }
        } catch let refused as PostbackWriter.Refused {
            return refuse(.badRequest, parameter: refused.parameter, reason: refused.reason)
        } catch {
            logger.error("postback failed", metadata: ["error": "\(error)"])
            return JSONResponse.make(
                .serviceUnavailable, ["status": "error", "error": "the conversion was not recorded; retry"])
        }
    }

    private func refuse(_ status: HTTPResponse.Status, parameter: String, reason: String) -> Response {
        JSONResponse.make(status, ["status": "refused", "parameter": parameter, "error": reason])
    }
}
