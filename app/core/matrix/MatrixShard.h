#pragma once

#include <QString>

#include <optional>

// One of N parts of a matrix run, "K/N" (1-based): a CI job runs the cells of its shard and the
// shards' reports merge. A cell's shard depends on its id alone, so it keeps its shard when other
// requests are added to the plan, and every machine computes the same split.
struct MatrixShard
{
    int index = 1;
    int count = 1; // {1, 1}: every cell

    // "2/5" → {2, 5}; refuses anything else with the reason (K from 1 to N, N from 1 to 10000).
    static std::optional<MatrixShard> parse(const QString &text, QString *error);
    // Whether the cell is in this shard: the first 8 bytes of SHA-256(cellId), big-endian,
    // modulo count equal index - 1.
    bool contains(const QString &cellId) const;
    QString toString() const; // "K/N"

    static constexpr int MaxCount = 10000;

    bool operator==(const MatrixShard &other) const = default;
};
