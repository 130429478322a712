#pragma once

#include <QByteArray>
#include <QJsonValue>
#include <QString>

#include <optional>

// Reads a YAML document into the JSON tree an API document is, with yaml-cpp's event parser and
// limits applied while it is read (written as JSON text, which Qt's parser makes the tree of): anchors and aliases are resolved here, each alias costing
// the full size of what it repeats, so an alias bomb ("billion laughs") is refused at the node
// budget instead of being expanded by whatever walks the tree later. Scalars follow YAML 1.2's core
// schema (null, true/false, integers, floats; everything else — timestamps like
// 2019-02-31T23:59:60Z included — stays a string); "<<" merge keys are applied. Only the first
// document of a stream is read.
class YamlToJson
{
public:
    struct Limits
    {
        int maxDepth = 128;              // nested mappings and sequences
        qint64 maxNodes = 5'000'000;     // every node of the tree, aliases counted as expanded
        qint64 maxBytes = 64LL << 20;    // the text itself, and the JSON text it makes
        // The text aliases repeat, written out: a real document repeats kilobytes; an alias bomb
        // whose nodes stay within maxNodes could still repeat long strings.
        qint64 maxAliasBytes = 16LL << 20;
    };

    // The tree, or nullopt with *error naming the line and column of the problem.
    static std::optional<QJsonValue> convert(const QByteArray &yaml, QString *error, const Limits &limits);
    static std::optional<QJsonValue> convert(const QByteArray &yaml, QString *error) { return convert(yaml, error, Limits{}); }
    // The same tree as compact JSON text, for a caller that lets go of the YAML before Qt reads it.
    // Aliases are written out in full, so the text is held to maxBytes as well.
    static std::optional<QByteArray> toJsonText(const QByteArray &yaml, QString *error, const Limits &limits);

    // How deep flow collections ([ and {) nest in the text, found by a linear scan before the text
    // reaches yaml-cpp, whose scanner spends seconds on 100,000 unclosed brackets before its own
    // depth guard (2,000) ends the parse. Quoted scalars, comments and block scalars (| and >) are
    // skipped, and a bracket inside a plain scalar opens nothing. Past `limit` the scan stops:
    // returns limit + 1 with *line set to where.
    static int flowDepth(const QByteArray &yaml, int limit, int *line = nullptr);

    // A plain (unquoted) scalar as YAML 1.2's core schema reads it.
    static QJsonValue plainScalar(const QString &text);
};
