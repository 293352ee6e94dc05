$version: "2.0"

string S
