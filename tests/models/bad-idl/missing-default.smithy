$version: "2.0"
namespace a.b

structure S {
    a: String = 
}
