#include "DidYouMean.h"

#include <QList>

#include <algorithm>

using namespace Qt::StringLiterals;

int DidYouMean::distance(const QString &a, const QString &b)
{
    const qsizetype n = a.size();
    const qsizetype m = b.size();
    QList<QList<int>> d(n + 1, QList<int>(m + 1, 0));
    for (qsizetype i = 0; i <= n; ++i)
        d[i][0] = int(i);
    for (qsizetype j = 0; j <= m; ++j)
        d[0][j] = int(j);
    for (qsizetype i = 1; i <= n; ++i) {
        for (qsizetype j = 1; j <= m; ++j) {
            const int cost = a.at(i - 1) == b.at(j - 1) ? 0 : 1;
            d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
            if (i > 1 && j > 1 && a.at(i - 1) == b.at(j - 2) && a.at(i - 2) == b.at(j - 1))
                d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
        }
    }
    return d[n][m];
}

QString DidYouMean::closest(const QString &typed, const QStringList &candidates)
{
    const QString word = typed.toLower();
    if (word.isEmpty())
        return {};
    // A third of the word may be wrong, at least one letter and at most three: "sned", "scop",
    // "--incldue" are typos; "x" is not a typo of "env".
    const int allowed = std::clamp(int(word.size()) / 3, 1, 3);
    QString best;
    int bestDistance = allowed + 1;
    for (const QString &candidate : candidates) {
        const int d = distance(word, candidate.toLower());
        if (d < bestDistance) {
            best = candidate;
            bestDistance = d;
        }
    }
    if (!best.isEmpty())
        return best;
    // The beginning of exactly one known word ("--expect" for --expect-status).
    if (word.size() >= 3) {
        QStringList started;
        for (const QString &candidate : candidates) {
            if (candidate.toLower().startsWith(word))
                started.append(candidate);
        }
        if (started.size() == 1)
            return started.first();
    }
    return {};
}

QString DidYouMean::hint(const QString &typed, const QStringList &candidates, const QString &prefix)
{
    const QString found = closest(typed, candidates);
    return found.isEmpty() ? QString() : u" Did you mean \"%1%2\"?"_s.arg(prefix, found);
}
