#pragma once

#include "http/TokenSource.h"

#include <QHash>
#include <QList>
#include <QPointer>

// The tokens of one matrix run: one per distinct scope set, minted once and handed to every cell
// (and every ApiCall) that asks for exactly those scopes, whatever the source behind it keeps.
// The GUI's source holds one current token per environment, so without this each column would
// re-authorize over the last one. Token requests go to the source one at a time: the Authorizer
// joins a running authorization whatever its scopes, and a joined answer would be for other
// scopes. A scope set the server refused is not asked for again in the same run.
class MatrixTokens : public TokenSource
{
    Q_OBJECT

public:
    explicit MatrixTokens(TokenSource *source, QObject *parent = nullptr);
    ~MatrixTokens() override;

    std::optional<AccessToken> usableToken(const TokenScopes &scopes) const override;
    void obtainToken(const TokenScopes &scopes, const QString &rejected, QObject *context, Callback done) override;
    const Clock *clock() const override { return m_source->clock(); }
    // The source's secrets and every token this run holds.
    const KnownSecrets &knownSecrets() const override;
    // Drops the requests waiting and gives up the one the source runs (an interactive grant
    // waiting for a person included): a stopped run leaves nothing behind.
    void cancelTokenRequests() override;

    // The token held for exactly these scopes while it is fresh, without asking the source: what
    // obtainToken() would answer at once.
    std::optional<AccessToken> heldToken(const QStringList &scopes) const { return held(keyFor(scopes)); }

    // Forgets the tokens and refusals held, and the requests waiting (their callbacks are not
    // called): a new run, perhaps for another environment, starts afresh.
    void reset();

    static QString keyFor(const QStringList &scopes);

private:
    struct Pending
    {
        TokenScopes scopes;
        QString rejected;
        QPointer<QObject> context;
        Callback done;
    };

    void next();
    void answer(const Pending &pending, const TokenResult &result);
    std::optional<AccessToken> held(const QString &key) const;

    TokenSource *m_source;
    QHash<QString, AccessToken> m_held;
    QHash<QString, TokenResult> m_refused;
    QList<Pending> m_queue;
    bool m_fetching = false;  // a request of the source runs
    bool m_scheduled = false; // next() is queued
    int m_epoch = 0;          // reset() makes an answer of the source to an earlier run stale
    mutable KnownSecrets m_known;
    mutable bool m_knownStale = true;
};
