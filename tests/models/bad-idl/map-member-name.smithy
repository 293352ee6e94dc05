$version: "2.0"
namespace a.b

map M {
    k: String
    value: String
}
