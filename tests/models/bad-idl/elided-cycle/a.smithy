$version: "2.0"
namespace a.b

@mixin
structure A with [B] {
    $x
}
