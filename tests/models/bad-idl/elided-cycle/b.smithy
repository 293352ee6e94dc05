$version: "2.0"
namespace a.b

@mixin
structure B with [A] {
    $x
}
