#include "Cli.h"

#include "CliSupport.h"
#include "CommandHelp.h"
#include "DidYouMean.h"
#include "EnvironmentOptions.h"
#include "templates/TemplateApplication.h"
#include "templates/TemplateCatalog.h"

#include <QCommandLineParser>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace {
QString lifetimeText(int seconds)
{
    if (seconds <= 0)
        return u"not documented"_s;
    if (seconds % 86400 == 0)
        return u"%1 days"_s.arg(seconds / 86400);
    if (seconds % 3600 == 0)
        return u"%1 hour(s)"_s.arg(seconds / 3600);
    if (seconds % 60 == 0)
        return u"%1 minutes"_s.arg(seconds / 60);
    return u"%1 seconds"_s.arg(seconds);
}

QJsonObject summaryJson(const ApiTemplate &t)
{
    QJsonArray asks;
    for (const ApiTemplate::Ask &ask : t.asks)
        asks.append(ask.name);
    return {{u"id"_s, t.id}, {u"title"_s, t.title}, {u"seed"_s, t.seed}, {u"summary"_s, t.summary},
            {u"tiers"_s, QJsonArray::fromStringList(t.tierNames())}, {u"asks"_s, asks}};
}
} // namespace

namespace {
// What `template` accepts: its parser is configured from this and its --help lists it (CommandHelp).
struct TemplateOptions
{
    const QCommandLineOption json{u"json"_s, u"Print one JSON object"_s};

    QList<QCommandLineOption> all() const { return {json}; }
};

const CommandHelp::Registration templateListHelp([] {
    CommandHelp help(u"template list"_s, u"List the API templates (Cybrid, Cymbio, Cyclr, ...)"_s);
    help.synopsis = {u"template list [--json]"_s};
    help.options = TemplateOptions().all();
    help.details = {u"Each template describes an API as its documentation does: its tiers, token endpoints, grant, scope catalog and "
                    "context headers. 'env add NAME --template ID' makes an environment of one."_s};
    help.examples = {u"tokenbench-cli template list"_s};
    return help;
});

const CommandHelp::Registration templateShowHelp([] {
    CommandHelp help(u"template show"_s, u"Show a template: tiers, values it needs, scopes, notes"_s);
    help.synopsis = {u"template show ID [--json]"_s};
    help.options = TemplateOptions().all();
    help.details = {u"The values a template asks for (hosts, ids its documentation does not give) are what 'env add --template ID' "
                    "needs as --var K=V."_s};
    help.exitCodes = {{Cli::Usage, u"no template with that id"_s}};
    help.examples = {u"tokenbench-cli template show cybrid"_s};
    return help;
});
} // namespace

int Cli::runTemplate(const QStringList &args)
{
    const QStringList subs{u"list"_s, u"show"_s};
    if (args.isEmpty())
        return usageError(u"template needs a subcommand: list or show"_s);
    const QString sub = args.first();
    if (!subs.contains(sub))
        return usageError(u"unknown template subcommand \"%1\".%2"_s.arg(sub, DidYouMean::hint(sub, subs)));
    const TemplateOptions accepted; // the parser's options and the help's
    QCommandLineParser parser;
    if (!parseCommand(parser, accepted.all(), args.mid(1)))
        return Usage;
    const TemplateCatalog &catalog = TemplateCatalog::builtIn();

    if (sub == u"list"_s) {
        if (!parser.positionalArguments().isEmpty())
            return usageError(u"template list takes no argument"_s);
        if (m_print.json()) {
            QJsonArray list;
            for (const ApiTemplate &t : catalog.templates())
                list.append(summaryJson(t));
            m_print.out() << CliPrinter::jsonText({{u"templates"_s, list}}) << Qt::endl;
            return Ok;
        }
        for (const ApiTemplate &t : catalog.templates()) {
            m_print.out() << qSetFieldWidth(16) << Qt::left << t.id << qSetFieldWidth(0) << t.title << u"  ["_s
                          << t.tierNames().join(u", "_s) << u"]"_s << Qt::endl;
        }
        m_print.out() << Qt::endl << "Details: tokenbench-cli template show ID. Use one: tokenbench-cli env add NAME --template ID --var K=V ..." << Qt::endl;
        return Ok;
    }

    if (parser.positionalArguments().size() != 1)
        return usageError(u"template show needs exactly one template id"_s);
    const QString id = parser.positionalArguments().first();
    const ApiTemplate *t = catalog.find(id);
    if (!t)
        return usageError(u"no template \"%1\" (known: %2).%3"_s.arg(id, catalog.ids().join(u", "_s), DidYouMean::hint(id, catalog.ids())));
    if (m_print.json()) {
        // The template as written (docs/templates.md), read back from the compiled-in resource.
        QFile file(u":/templates/%1.json"_s.arg(t->id));
        if (!file.open(QIODevice::ReadOnly))
            return Unexpected;
        m_print.out() << CliPrinter::jsonText(QJsonDocument::fromJson(file.readAll()).object()) << Qt::endl;
        return Ok;
    }
    auto &out = m_print.out();
    const auto row = [&out](const QString &label, const QString &value) {
        out << qSetFieldWidth(16) << Qt::left << label + u':' << qSetFieldWidth(0) << value << Qt::endl;
    };
    row(u"Template"_s, t->id + u" — "_s + t->title);
    if (!t->seed.isEmpty())
        row(u"Seed"_s, t->seed + u": "_s + t->seedTitle);
    row(u"Summary"_s, t->summary);
    row(u"Grant"_s, Environment::grantName(t->grant));
    row(u"Client auth"_s, Environment::clientAuthName(t->clientAuth));
    row(u"Token"_s, u"%1, %2, lifetime %3"_s.arg(t->tokenType, t->tokenFormat, lifetimeText(t->tokenLifetimeSeconds)));
    for (const ApiTemplate::TierVariant &variant : t->tiers) {
        const QString tier = variant.tier ? Environment::tierName(*variant.tier) : u"any tier"_s;
        row(u"Tier"_s, u"%1: token %2, API %3"_s.arg(tier, variant.tokenUrl, variant.apiBaseUrl));
        if (!variant.note.isEmpty())
            out << qSetFieldWidth(16) << u""_s << qSetFieldWidth(0) << variant.note << Qt::endl;
    }
    for (const ApiTemplate::Kind &kind : t->kinds)
        row(u"Kind"_s, u"%1 (%2): %3 — scopes %4"_s.arg(kind.id, kind.title, kind.description, kind.defaultScopes.join(u' ')));
    for (const ApiTemplate::Ask &ask : t->asks) {
        const QString option = ask.target == ApiTemplate::Ask::Target::ClientId ? u" (or --client-id)"_s
                               : ask.target == ApiTemplate::Ask::Target::Username ? u" (or --username)"_s
                                                                                   : QString();
        row(u"Asks"_s, u"--var %1=…%2%3: %4"_s.arg(ask.name, option, ask.required ? QString() : u" (optional)"_s, ask.description));
    }
    if (!t->defaultScopes.isEmpty())
        row(u"Default scopes"_s, t->defaultScopes.join(u' '));
    for (const CatalogScope &scope : t->scopeCatalog)
        row(u"Scope"_s, scope.name + u" — "_s + scope.description);
    for (const HeaderTemplate &header : t->contextHeaders)
        row(u"Header"_s, header.name + u": "_s + header.valueTemplate);
    for (const TokenParam &param : t->tokenParams)
        row(u"Parameter"_s, param.name + u'=' + (param.secret ? u"•••• (keychain: secret set NAME param:%1)"_s.arg(param.name) : param.value));
    for (const ApiTemplate::Request &request : t->requests)
        row(u"Request"_s, u"%1 %2 — %3"_s.arg(request.method, request.path, request.name));
    for (const ApiTemplate::DocumentedError &documented : t->errors) {
        QString text = u"%1: %2"_s.arg(documented.status).arg(documented.when);
        if (!documented.body.isEmpty())
            text += u' ' + CliPrinter::jsonText(documented.body);
        row(u"Error"_s, text);
    }
    for (const QString &note : t->notes)
        row(u"Note"_s, note);
    return Ok;
}

int Cli::environmentFromTemplate(const QCommandLineParser &parser, const EnvironmentOptions &options, const QString &templateId,
                                 const QString &kind, const QString &name, Environment *env, QList<SavedRequest> *requests,
                                 QStringList *notes)
{
    const TemplateCatalog &catalog = TemplateCatalog::builtIn();
    const ApiTemplate *t = catalog.find(templateId);
    if (!t) {
        return usageError(u"no template \"%1\" (known: %2).%3"_s.arg(templateId, catalog.ids().join(u", "_s),
                                                                      DidYouMean::hint(templateId, catalog.ids())));
    }
    TemplateChoice choice;
    choice.environmentName = name;
    choice.kind = kind;
    QString error;
    if (!options.tier(parser, &choice.tier, &error) || !options.variables(parser, &choice.values, &error))
        return usageError(error);
    // --client-id and --username answer the asks that fill them.
    for (const ApiTemplate::Ask &ask : t->asks) {
        const bool clientId = ask.target == ApiTemplate::Ask::Target::ClientId && options.clientIdSet(parser);
        if (clientId)
            choice.values.append({ask.name, parser.value(options.clientIdOption())});
        else if (ask.target == ApiTemplate::Ask::Target::Username && parser.isSet(u"username"_s))
            choice.values.append({ask.name, parser.value(u"username"_s)});
    }
    // A tier the seed does not document is fine when the URLs are given too: they are the user's.
    std::optional<Tier> overriddenTier;
    if (choice.tier && !t->variantFor(*choice.tier) && options.urlsSet(parser)) {
        overriddenTier = choice.tier;
        choice.tier.reset();
    }
    const QList<ApiTemplate::Ask> missing = TemplateApplication::missingAsks(*t, choice);
    if (!missing.isEmpty()) {
        QStringList lines;
        for (const ApiTemplate::Ask &ask : missing) {
            const QString alias = ask.target == ApiTemplate::Ask::Target::ClientId ? u" (or --client-id)"_s
                                  : ask.target == ApiTemplate::Ask::Target::Username ? u" (or --username)"_s
                                                                                      : QString();
            lines.append(u"  --var %1=…%2  %3: %4"_s.arg(ask.name, alias, ask.label, ask.description));
        }
        return usageError(u"the %1 template needs values its documentation does not give; nothing was written. Missing:\n%2"_s.arg(
                t->id, lines.join(u'\n')));
    }
    const auto made = TemplateApplication::environment(*t, choice, &error);
    if (!made)
        return usageError(error + u"; nothing was written"_s);
    *env = *made;
    if (overriddenTier)
        env->tier = *overriddenTier;
    *requests = TemplateApplication::requests(*t);
    notes->append(u"From the %1 template (%2)."_s.arg(t->id, t->title));
    notes->append(TemplateApplication::notes(*t, env->tier));
    return Ok;
}
