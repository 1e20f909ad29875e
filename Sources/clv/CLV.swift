@main
struct CLV {
    static func main() {}
}
