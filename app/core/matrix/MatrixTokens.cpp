#include "matrix/MatrixTokens.h"

#include "util/Clock.h"

#include <QMetaObject>

using namespace Qt::StringLiterals;

MatrixTokens::MatrixTokens(TokenSource *source, QObject *parent)
    : TokenSource(parent)
    , m_source(source)
{
}

MatrixTokens::~MatrixTokens() = default;

QString MatrixTokens::keyFor(const QStringList &scopes)
{
    QStringList sorted = TokenScopes::normalized(scopes);
    sorted.sort();
    return sorted.join(u' ');
}

std::optional<AccessToken> MatrixTokens::held(const QString &key) const
{
    const auto it = m_held.constFind(key);
    if (it == m_held.cend() || it->needsRenewal(clock()->now()))
        return std::nullopt;
    return *it;
}

std::optional<AccessToken> MatrixTokens::usableToken(const TokenScopes &scopes) const
{
    if (auto token = held(keyFor(scopes.scopes)))
        return token;
    // A token the source already holds for exactly these scopes is as good as one minted now.
    if (scopes.match == TokenScopes::Match::Exact)
        return m_source->usableToken(scopes);
    return std::nullopt;
}

void MatrixTokens::obtainToken(const TokenScopes &scopes, const QString &rejected, QObject *context, Callback done)
{
    m_queue.append({scopes, rejected, QPointer<QObject>(context), std::move(done)});
    if (!m_fetching && !m_scheduled) {
        // done never comes from inside this call.
        m_scheduled = true;
        QMetaObject::invokeMethod(this, [this] {
            m_scheduled = false;
            next();
        }, Qt::QueuedConnection);
    }
}

void MatrixTokens::answer(const Pending &pending, const TokenResult &result)
{
    if (pending.context)
        pending.done(result);
}

void MatrixTokens::next()
{
    while (!m_fetching && !m_queue.isEmpty()) {
        const Pending pending = m_queue.takeFirst();
        if (!pending.context)
            continue;
        const QString key = keyFor(pending.scopes.scopes);
        if (pending.rejected.isEmpty()) {
            if (const auto refused = m_refused.constFind(key); refused != m_refused.cend()) {
                answer(pending, *refused);
                continue;
            }
        }
        std::optional<AccessToken> token = usableToken(pending.scopes);
        if (token && !pending.rejected.isEmpty() && token->value == pending.rejected) {
            m_held.remove(key);
            token.reset();
        }
        if (token) {
            if (!m_held.contains(key)) {
                m_held.insert(key, *token);
                m_knownStale = true;
            }
            answer(pending, {*token, {}});
            continue;
        }
        m_fetching = true;
        TokenScopes exact = pending.scopes;
        exact.match = TokenScopes::Match::Exact;
        const int epoch = m_epoch;
        m_source->obtainToken(exact, pending.rejected, this, [this, pending, key, epoch](const TokenResult &result) {
            m_fetching = false;
            if (epoch != m_epoch) {
                next();
                return;
            }
            if (result.ok()) {
                m_held.insert(key, *result.token);
            } else if (result.error.kind != OAuthError::Kind::Cancelled) {
                m_refused.insert(key, result);
            }
            m_knownStale = true;
            answer(pending, result);
            next();
        });
    }
}

void MatrixTokens::cancelTokenRequests()
{
    m_queue.clear();
    if (m_fetching)
        m_source->cancelTokenRequests();
}

void MatrixTokens::reset()
{
    ++m_epoch;
    m_held.clear();
    m_refused.clear();
    m_queue.clear();
    m_knownStale = true;
}

const KnownSecrets &MatrixTokens::knownSecrets() const
{
    if (m_knownStale) {
        m_known = m_source->knownSecrets();
        for (const AccessToken &token : m_held)
            m_known.addToken(token);
        m_knownStale = false;
    }
    return m_known;
}
