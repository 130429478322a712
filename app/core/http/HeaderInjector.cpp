#include "http/HeaderInjector.h"

#include "http/RequestBuilder.h"
#include "util/TemplateExpander.h"

#include <QCoreApplication>

using namespace Qt::StringLiterals;

namespace {
QByteArray authorizationName()
{
    return "Authorization"_ba;
}
} // namespace

QByteArray HeaderInjector::authorizationValue(const AccessToken &token)
{
    const QString type = token.tokenType.trimmed();
    const QString scheme = type.isEmpty() || token.isBearer() ? u"Bearer"_s : type;
    return scheme.toLatin1() + ' ' + token.value.toLatin1();
}

QList<QByteArray> HeaderInjector::guardedHeaderNames(const Environment &environment)
{
    QList<QByteArray> names = OriginGuard::credentialHeaders();
    for (const auto &header : environment.headers) {
        const QByteArray name = header.name.trimmed().toLatin1();
        bool known = false;
        for (const QByteArray &existing : std::as_const(names))
            known = known || HttpHeaders::sameName(existing, name);
        if (!name.isEmpty() && !known)
            names.append(name);
    }
    return names;
}

bool HeaderInjector::needsToken(const RequestDraft &draft, const BuiltRequest &built, const OriginGuard &guard)
{
    if (!guard.allows(built.url) || built.headers.contains(authorizationName()))
        return false;
    const auto *entry = draft.switchFor(QString::fromLatin1(authorizationName()));
    return !entry || (!entry->disabled && !entry->value);
}

HeaderInjector::Plan HeaderInjector::plan(const Environment &environment, const std::optional<AccessToken> &token,
                                          const RequestDraft &draft, const BuiltRequest &built, const OriginGuard &guard)
{
    Plan plan;
    const bool trusted = guard.allows(built.url);

    // One entry per injected header, decided in the same order for the token and the context headers.
    const auto decide = [&](const QByteArray &name, const QString &source, bool secret, const std::optional<QString> &environmentValue) {
        InjectedHeader header;
        header.name = name;
        header.source = source;
        header.secret = secret;
        const auto *entry = draft.switchFor(QString::fromLatin1(name));
        if (built.headers.contains(name)) {
            header.state = InjectedHeader::State::ReplacedByRequestHeader;
        } else if (entry && entry->disabled) {
            header.state = InjectedHeader::State::Disabled;
        } else if (!trusted) {
            header.state = InjectedHeader::State::Withheld;
        } else {
            std::optional<QString> value = environmentValue;
            // The token is a value, never a template; the profile's and the user's values are templates.
            bool isTemplate = !secret;
            if (entry && entry->value) {
                value = entry->value;
                header.overridden = true;
                isTemplate = true;
            }
            if (!value) {
                plan.problems.append(QCoreApplication::translate("HeaderInjector", "there is no access token for the Authorization header"));
                return;
            }
            QStringList missing;
            const QString expanded = (isTemplate ? TemplateExpander::expand(*value, built.variables, &missing) : *value).trimmed();
            for (const QString &unresolved : std::as_const(missing)) {
                if (!plan.unresolved.contains(unresolved))
                    plan.unresolved.append(unresolved);
            }
            if (const QString problem = RequestBuilder::headerValueProblem(QString::fromLatin1(name), expanded); !problem.isEmpty())
                plan.problems.append(problem);
            header.value = expanded.toUtf8();
        }
        plan.headers.append(header);
    };

    std::optional<QString> bearer;
    if (token)
        bearer = QString::fromLatin1(authorizationValue(*token));
    decide(authorizationName(), tokenSource(), true, bearer);

    for (const auto &context : environment.headers) {
        const QString name = context.name.trimmed();
        const QByteArray nameBytes = name.toLatin1();
        if (name.isEmpty() || HttpHeaders::sameName(nameBytes, authorizationName()))
            continue; // the profile cannot make Authorization a context header; the token owns it
        if (!RequestBuilder::isToken(nameBytes) || nameBytes.size() != name.size()) {
            plan.problems.append(QCoreApplication::translate("HeaderInjector", "the environment's header name \"%1\" is not a valid header name").arg(name));
            continue;
        }
        decide(nameBytes, environmentSource(name), false, context.valueTemplate);
    }
    return plan;
}

void HeaderInjector::apply(const QList<InjectedHeader> &injected, HttpHeaders *headers)
{
    for (const auto &header : injected) {
        if (header.isSent())
            headers->append(header.name, header.value);
    }
}
