#pragma once

#include <QString>
#include <QStringList>

// "Did you mean …?" for a mistyped command, subcommand or option: the known word closest to
// what was typed, by edit distance (a swap of two neighbours counts as one edit), or the one
// known word it is the beginning of.
class DidYouMean
{
public:
    // The closest candidate, or empty when none is close enough to be a likely typo.
    static QString closest(const QString &typed, const QStringList &candidates);
    // Optimal string alignment distance (Damerau–Levenshtein without repeated edits of a substring).
    static int distance(const QString &a, const QString &b);
    // " Did you mean "x"?" (with its leading space), or empty.
    static QString hint(const QString &typed, const QStringList &candidates, const QString &prefix = {});
};
