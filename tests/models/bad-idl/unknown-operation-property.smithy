$version: "2.0"
namespace a.b

operation Op {
    inputs: S
}

structure S {}
