#pragma once

#include <QByteArrayView>

// Whether bytes are one JSON text (RFC 8259: any value at the top, whitespace around it) in
// valid UTF-8, checked in one pass without building anything: a 200 MB body costs no memory
// (QJsonDocument would build a tree many times its size). Iterative, so no nesting exhausts
// the stack.
class JsonSyntax
{
public:
    static bool isValid(QByteArrayView bytes);
    static bool isUtf8(QByteArrayView bytes);
};
