namespace a.b
$version: "2.0"
