$version: "2.0"
namespace a.b

service Svc {
    version := "1"
}
