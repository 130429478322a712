#include "Cli.h"

#include "CliSupport.h"
#include "CommandHelp.h"
#include "ExpectedStatus.h"
#include "GrantPrompt.h"
#include "InterruptWatch.h"
#include "demo/DemoServer.h"
#include "http/ApiCall.h"
#include "http/CachedTokenSource.h"
#include "http/HeaderInjector.h"
#include "http/ProductionGuard.h"
#include "http/RequestBuilder.h"
#include "http/ResponseLimit.h"
#include "http/TokenScopes.h"
#include "http/UrlLookalike.h"
#include "interop/CurlCommand.h"

#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QFileInfo>
#include <QHash>

#include <algorithm>
#include <cmath>
#include <cstdio>

using namespace Qt::StringLiterals;
using CliSupport::exitCodeFor;
using CliSupport::splitPair;

namespace {
// What `send` accepts: its parser is configured from this and its --help lists it (CommandHelp).
struct SendOptions
{
    const QCommandLineOption header{QStringList{u"H"_s, u"header"_s},
                                    u"Send this header; for a header the environment injects, 'Name: value' replaces it and 'Name:' leaves it out (repeatable)"_s,
                                    u"'K: V'"_s};
    const QCommandLineOption data{QStringList{u"d"_s, u"data"_s}, u"The body: text, @file, or @- for standard input"_s, u"BODY|@file|@-"_s};
    const QCommandLineOption form{QStringList{u"F"_s, u"form"_s},
                                  u"A multipart/form-data field, read as curl reads -F: name=value or name=@file (repeatable)"_s, u"NAME=VALUE"_s};
    const QCommandLineOption formString{u"form-string"_s, u"A multipart text field whose value may start with @ or < (repeatable)"_s, u"NAME=VALUE"_s};
    const QCommandLineOption var{u"var"_s, u"Set the {{variable}} K for this request, before the environment's (repeatable)"_s, u"K=V"_s};
    const QCommandLineOption scope{u"scope"_s,
                                   u"Ask the token for exactly these scopes instead of the environment's (repeatable; --scope '' for none)"_s, u"S"_s};
    const QCommandLineOption scopeMatch{u"scope-match"_s,
                                        u"exact: a token asked for exactly these scopes; at-least: reuse a held token that has them besides others"_s,
                                        u"exact|at-least"_s};
    const CliSupport::SecretOptions secrets; // --client-secret-env, --password-env, --client-secret-stdin, --password-stdin
    const QCommandLineOption include{QStringList{u"i"_s, u"include"_s}, u"Print the status line and the headers before the body"_s};
    const QCommandLineOption json{u"json"_s, u"Print one JSON object: request, status, headers, body, timing (Authorization masked)"_s};
    const QCommandLineOption yes{QStringList{u"y"_s, u"yes"_s}, u"Confirm a POST, PUT, PATCH or DELETE to a production environment"_s};
    const QCommandLineOption timeout{u"timeout"_s, u"Give up after SECONDS (at most 3600)"_s, u"SECONDS"_s, u"30"_s};
    const QCommandLineOption verbose{QStringList{u"v"_s, u"verbose"_s},
                                     u"Show the token request (secrets as ••••), the API request and the answer's status on standard error"_s};
    const QCommandLineOption saved{u"saved"_s, u"Send the request saved in the workspace as REQUEST, with this environment"_s, u"REQUEST"_s};
    const QCommandLineOption repeat{u"repeat"_s,
                                    u"Send it N times in a row (1-100000) on one connection with one token; print the last answer and a latency summary"_s,
                                    u"N"_s, u"1"_s};
    const QCommandLineOption saveAs{u"save-as"_s, u"Save the request as given in the workspace under NAME (replacing one of that name), then send it"_s,
                                    u"NAME"_s};
    const QCommandLineOption cacert{u"cacert"_s, u"Also trust the PEM certificates in FILE for this run (repeatable)"_s, u"FILE"_s};
    const QCommandLineOption expectStatus{u"expect-status"_s,
                                          u"Exit 0 only when the API answers one of these statuses or classes (403,409 or 2xx), 11 otherwise"_s,
                                          u"CODE[,CODE...]"_s};
    const QCommandLineOption maxResponseSize{u"max-response-size"_s,
                                             u"Largest response body kept, counted decoded (256M, 1G or bytes); past it the transfer stops (exit 12)"_s,
                                             u"SIZE"_s, u"256M"_s};
    const QCommandLineOption allowFileUpload{u"allow-file-upload"_s,
                                             u"Send files the request names (not this command line) to an origin other than the environment's API"_s};
    const QCommandLineOption noBrowser{u"no-browser"_s, u"Authorization code grant: only print the authorization URL, do not run $BROWSER"_s};

    QList<QCommandLineOption> all() const
    {
        return QList<QCommandLineOption>{header, data, form, formString, var, scope, scopeMatch} + secrets.all()
            + QList<QCommandLineOption>{include, json, yes, timeout, verbose, saved, repeat, saveAs, cacert, expectStatus, maxResponseSize,
                                        allowFileUpload, noBrowser};
    }
};

const CommandHelp::Registration sendHelp([] {
    CommandHelp help(u"send"_s, u"Send an API request with an environment's token and headers"_s);
    help.synopsis = {u"send NAME METHOD PATH_OR_URL [OPTIONS]"_s, u"send NAME --saved REQUEST [METHOD PATH_OR_URL] [OPTIONS]"_s};
    help.options = SendOptions().all();
    help.details = {
        u"The environment NAME's token is fetched first (once more if a 401 says it was rejected) and its context headers are "
        "injected. PATH is appended to the API base URL (Demo: /me or /api/me); one that looks like a URL missing its \"://\" "
        "(http//host/x, https:/host, localhost:8080/x) is refused with the URL it probably meant. {{variables}} come from "
        "--var, then the environment."_s,
        u"Another origin, given as a URL or reached by a redirect, never gets the token or the context headers. POST, PUT, PATCH "
        "and DELETE to a production environment need --yes."_s,
        u"Prints the body (a body printed to a terminal ends with a line break; piped, it is byte for byte what the API sent) "
        "and explains a denial (401, 403 scope, 409 reasons, 429 Retry-After) on standard error. --json always has \"status\": "
        "the API's, or null when none answered."_s,
        u"--saved sends a request saved in the workspace; METHOD PATH_OR_URL, -H, -d, -F, --var and --scope replace its own "
        "for this run."_s,
        u"A file the request names but this command line does not (a saved request's, one behind a {{variable}}) goes to an "
        "origin other than the environment's API only with --allow-file-upload; without it nothing is read or sent."_s,
    };
    help.exitCodes = {{Cli::Ok, u"2xx or 304 Not Modified (with --expect-status: a status listed)"_s},
                      {Cli::Usage, u"usage error, an unresolved {{variable}} or a token in the URL"_s},
                      {Cli::WorkspaceProblem, u"unknown environment or saved request; the token would go over plain http to a remote API"_s},
                      {Cli::BadResponse, u"a redirect not followed (more than 5, no Location, https to http, not http(s))"_s},
                      {Cli::HttpClientError, u"the API answered 4xx"_s},
                      {Cli::HttpServerError, u"the API answered 5xx"_s},
                      {Cli::NeedsConfirmation, u"a state-changing request to production without --yes; nothing was sent"_s},
                      {Cli::UnexpectedStatus, u"--expect-status: the API answered a status not in the list"_s},
                      {Cli::ResponseTooLarge, u"the response passed --max-response-size, or its headers 256 KB"_s},
                      {Cli::NeedsUploadConsent, u"the request's own files would go to another origin without --allow-file-upload"_s}};
    help.details.append(u"A token it could not get exits as 'token' does (3, 4, 5, 6 or 7); with --repeat, the highest exit code of the runs."_s);
    help.details.append(u"An environment with the authorization code or device grant is authorized as 'token' does it when no usable token "
                        "is held: the authorization URL on standard error, opened with $BROWSER unless --no-browser, or the device grant's "
                        "user code and where to enter it; Ctrl-C stops waiting (exit 130), and nothing is sent."_s);
    help.exitCodes.append({Cli::Interrupted, u"interrupted (Ctrl-C) while a grant waited for a person, or while the request ran"_s});
    help.examples = {u"tokenbench-cli send Demo GET /me"_s,
                     u"tokenbench-cli send staging POST /accounts -d @account.json -H 'X-On-Behalf-Of: user 7' --json"_s,
                     u"tokenbench-cli send staging --saved 'List accounts' --expect-status 403 --scope ''"_s,
                     u"tokenbench-cli send Demo GET /me --repeat 100"_s};
    return help;
});
} // namespace

int Cli::runSend(const QStringList &args)
{
    const SendOptions accepted; // the parser's options and the help's
    const QCommandLineOption &header = accepted.header;
    const QCommandLineOption &data = accepted.data;
    const QCommandLineOption &form = accepted.form;
    const QCommandLineOption &formString = accepted.formString;
    const QCommandLineOption &var = accepted.var;
    const QCommandLineOption &scope = accepted.scope;
    const QCommandLineOption &scopeMatch = accepted.scopeMatch;
    const QCommandLineOption &include = accepted.include;
    const QCommandLineOption &yes = accepted.yes;
    const QCommandLineOption &timeout = accepted.timeout;
    const QCommandLineOption &verbose = accepted.verbose;
    const QCommandLineOption &saved = accepted.saved;
    const QCommandLineOption &repeat = accepted.repeat;
    const QCommandLineOption &saveAs = accepted.saveAs;
    const QCommandLineOption &cacert = accepted.cacert;
    const QCommandLineOption &expectStatus = accepted.expectStatus;
    const QCommandLineOption &maxResponseSize = accepted.maxResponseSize;
    const QCommandLineOption &allowFileUpload = accepted.allowFileUpload;
    QCommandLineParser parser;
    // Every JSON object send prints has a "status", null when no API answered: scripts read one key.
    m_print.setStatusInFailures(true);
    if (!parseCommand(parser, accepted.all(), args))
        return Usage;
    QString error;
    const QStringList positional = parser.positionalArguments();
    const bool fromSaved = parser.isSet(saved);
    if (fromSaved && positional.size() != 1 && positional.size() != 3)
        return usageError(u"send --saved needs an environment name, then a method and a path or URL only to replace the saved ones"_s);
    if (!fromSaved && positional.size() != 3)
        return usageError(u"send needs an environment name, a method and a path or URL (or --saved REQUEST)"_s);
    if (parser.values(saved).size() > 1)
        return usageError(u"give --saved once"_s);
    bool ok = false;
    const double timeoutSeconds = parser.value(timeout).toDouble(&ok);
    if (!ok || timeoutSeconds <= 0 || timeoutSeconds > 3600)
        return usageError(u"--timeout needs a number of seconds between 0 and 3600"_s);
    qint64 maxResponseBytes = 0;
    if (parser.values(maxResponseSize).size() > 1)
        return usageError(u"give --max-response-size once"_s);
    if (const QString problem = ResponseLimit::parse(parser.value(maxResponseSize), &maxResponseBytes); !problem.isEmpty())
        return usageError(u"--max-response-size: %1"_s.arg(problem));
    constexpr int maxRepeat = 100000;
    const int repeatCount = parser.value(repeat).toInt(&ok);
    if (!ok || repeatCount < 1 || repeatCount > maxRepeat || parser.values(repeat).size() > 1)
        return usageError(u"--repeat needs a number of requests between 1 and %1"_s.arg(maxRepeat));
    const bool bodyFromStdin = parser.values(data).contains(u"@-"_s);
    if (int(parser.isSet(accepted.secrets.secretStdin)) + int(parser.isSet(accepted.secrets.passwordStdin)) + int(bodyFromStdin) > 1)
        return usageError(u"only one of the body and the secrets can come from standard input"_s);
    if (parser.values(data).size() > 1)
        return usageError(u"give the body once (-d BODY or -d @file)"_s);
    const bool hasForm = parser.isSet(form) || parser.isSet(formString);
    if (hasForm && parser.isSet(data))
        return usageError(u"give a body (-d) or form fields (-F), not both"_s);
    QList<RequestDraft::FormPart> formParts;
    {
        // In the order given, -F and --form-string interleaved, as curl sends them.
        QStringList fields = parser.values(form);
        QStringList literals = parser.values(formString);
        for (const QString &option : parser.optionNames()) {
            const bool literal = option == u"form-string"_s;
            if (!literal && option != u"F"_s && option != u"form"_s)
                continue;
            const QString value = literal ? literals.takeFirst() : fields.takeFirst();
            // Read as curl reads it, the same way a pasted curl command is.
            QStringList notes;
            QString problem;
            const auto field = CurlCommand::parseFormField(value.toUtf8(), literal, &notes, &problem);
            if (!field)
                return usageError(u"%1: %2"_s.arg(literal ? u"--form-string"_s : u"-F"_s, problem));
            for (const QString &note : std::as_const(notes))
                m_print.err() << "Note: " << note << '.' << Qt::endl;
            RequestDraft::FormPart part;
            part.name = field->name;
            part.value = field->isFile ? QFileInfo(field->value).absoluteFilePath() : field->value;
            part.isFile = field->isFile;
            formParts.append(part);
        }
    }
    if (parser.values(saveAs).size() > 1 || (parser.isSet(saveAs) && parser.value(saveAs).trimmed().isEmpty()))
        return usageError(u"give --save-as once, with a name"_s);
    std::optional<ExpectedStatus> expected;
    if (parser.isSet(expectStatus)) {
        expected = ExpectedStatus::parse(parser.values(expectStatus).join(u','), &error);
        if (!expected)
            return usageError(error);
    }
    QByteArray extraCaPem;
    if (parser.isSet(cacert) && !readCertificates(parser.values(cacert), &extraCaPem))
        return Usage;

    const Environment *found = loadEnvironment(positional.at(0), false);
    if (!found)
        return WorkspaceProblem;
    Environment env = *found;

    RequestDraft draft;
    if (fromSaved) {
        const SavedRequest *stored = m_workspace->findRequest(parser.value(saved));
        if (!stored) {
            QStringList names;
            for (const auto &request : m_workspace->savedRequests())
                names.append(request.name);
            m_print.failure(u"workspace"_s, u"no saved request named \"%1\" in %2 (known: %3)"_s.arg(
                                                parser.value(saved), m_workspacePath, names.isEmpty() ? u"none"_s : names.join(u", "_s)));
            return WorkspaceProblem;
        }
        draft = stored->draft;
    }
    if (positional.size() == 3) {
        draft.method = positional.at(1);
        draft.url = positional.at(2);
    }
    if (RequestBuilder::normalizedMethod(draft.method).isEmpty())
        return usageError(u"\"%1\" is not an HTTP method"_s.arg(draft.method));
    // Appended to the API base, "http//host/x" would go to https://api…/base/http//host/x.
    if (const auto intended = UrlLookalike::intendedUrl(draft.url))
        return usageError(u"\"%1\" looks like a URL without \"://\", and a path would be appended to the environment's API base URL; "
                          "nothing was sent. Did you mean \"%2\"?"_s.arg(draft.url.trimmed(), *intended));
    if (parser.isSet(scope)) {
        // As for `token`: --scope '' asks for a token with no scope at all, not the environment's.
        draft.scopes = TokenScopes::normalized(parser.values(scope));
        draft.noScopes = draft.scopes.isEmpty();
        draft.scopeMatch = TokenScopes::Match::Exact;
    }
    if (parser.isSet(scopeMatch)) {
        if (!TokenScopes::parseMatch(parser.value(scopeMatch), &draft.scopeMatch) || parser.values(scopeMatch).size() > 1)
            return usageError(u"--scope-match needs exact or at-least, once"_s);
        if (draft.scopes.isEmpty() && !draft.noScopes)
            return usageError(u"--scope-match is about the scopes the request names: give them with --scope (--scope '' for none)"_s);
    }
    QPair<QString, QString> pair;
    QList<QPair<QString, QString>> variables;
    for (const auto &value : parser.values(var)) {
        if (!splitPair(value, u'=', &pair))
            return usageError(u"--var needs K=V, got \"%1\""_s.arg(value));
        variables.append(pair);
    }
    // First match wins in the expander: the command line's variables before the saved request's.
    draft.extraVariables = variables + draft.extraVariables;

    // Headers the environment injects are switched per request, as in the composer:
    // -H 'X-On-Behalf-Of: user 7' sends another value, -H 'X-On-Behalf-Of:' leaves it out (curl's idiom).
    QStringList injectedNames{u"Authorization"_s};
    for (const auto &context : env.headers)
        injectedNames.append(context.name.trimmed());
    QList<QPair<QString, QString>> givenHeaders;
    for (const auto &value : parser.values(header)) {
        const qsizetype colon = value.indexOf(u':');
        const QString name = colon > 0 ? value.left(colon).trimmed() : QString();
        if (name.isEmpty())
            return usageError(u"-H needs 'Name: value', got \"%1\""_s.arg(value));
        givenHeaders.append({name, value.mid(colon + 1).trimmed()});
    }
    // A header named on the command line replaces the saved request's rows and switch of that
    // name; repeats on the command line itself are all sent.
    for (const auto &given : std::as_const(givenHeaders)) {
        const QString &name = given.first; // not a structured binding: clang's lambdas cannot capture those
        draft.headers.removeIf([&name](const RequestDraft::Row &row) { return row.name.trimmed().compare(name, Qt::CaseInsensitive) == 0; });
        draft.injectionSwitches.removeIf(
            [&name](const RequestDraft::InjectionSwitch &entry) { return entry.headerName.trimmed().compare(name, Qt::CaseInsensitive) == 0; });
    }
    for (const auto &[name, headerValue] : std::as_const(givenHeaders)) {
        if (injectedNames.contains(name, Qt::CaseInsensitive)) {
            RequestDraft::InjectionSwitch entry;
            entry.headerName = name;
            entry.disabled = headerValue.isEmpty();
            if (!headerValue.isEmpty())
                entry.value = headerValue;
            draft.injectionSwitches.append(entry);
        } else if (!headerValue.isEmpty()) {
            draft.headers.append({name, headerValue, true});
        }
    }
    if (parser.isSet(data)) {
        const QString body = parser.value(data);
        if (body == u"@-"_s) {
            QFile in;
            if (!in.open(stdin, QIODevice::ReadOnly))
                return usageError(u"cannot read the body from standard input"_s);
            draft.body = in.readAll();
        } else if (body.startsWith(u'@')) {
            QFile file(body.mid(1));
            if (!file.open(QIODevice::ReadOnly))
                return usageError(u"cannot read the body from %1: %2"_s.arg(body.mid(1), file.errorString()));
            draft.body = file.readAll();
        } else {
            draft.body = body.toUtf8();
        }
        // The saved body's type and template switch described the saved body, not this one.
        draft.contentType.clear();
        draft.expandBodyVariables = true;
        draft.formParts.clear();
    }
    if (hasForm) {
        draft.formParts = formParts;
        draft.body.clear();
        draft.contentType.clear();
        draft.expandBodyVariables = true; // as for -d: the saved request's switch described its own form
    }
    // Saved before it is sent: the request is kept even when this run fails.
    if (parser.isSet(saveAs)) {
        learnSecrets(env, secretSources(parser, accepted.secrets));
        if (!saveRequest(parser.value(saveAs).trimmed(), draft))
            return WorkspaceProblem;
    }

    // Production guard before anything leaves the process: no Demo, no keychain, no token request.
    if (ProductionGuard::needsConfirmation(env, draft.method) && !parser.isSet(yes)) {
        const BuiltRequest preview = RequestBuilder::build(draft, env, RequestBuilder::Files::Describe);
        const QUrl shown = preview.url.isEmpty() ? QUrl(draft.url) : preview.url;
        m_print.failure(u"confirmation_required"_s,
                        ProductionGuard::confirmationText(env, draft.method, shown) + u" Nothing was sent; add --yes to send it."_s);
        return NeedsConfirmation;
    }

    TokenRequest request = TokenRequest::fromEnvironment(env);
    request.trustedCertificates += extraCaPem;
    request.timeoutMs = std::max(1, static_cast<int>(std::ceil(timeoutSeconds * 1000)));
    std::unique_ptr<DemoServer> demo;
    if (const int code = startDemo(&env, &request, &demo); code != Ok)
        return code;
    // Secrets only when the token will really be sent: a request to another origin, or with
    // Authorization switched off, needs none.
    const BuiltRequest built = RequestBuilder::build(draft, env, RequestBuilder::Files::Describe);
    // A file typed on this command line is the user's choice for this send, wherever it goes; one
    // the request names by itself (a saved request from a shared workspace, a path behind a
    // {{variable}}) goes to an origin other than the API only with --allow-file-upload.
    QStringList confirmedUploads;
    if (hasForm) {
        for (const auto &part : std::as_const(draft.formParts)) {
            if (part.isFile)
                confirmedUploads.append(FileUploadConsent::absolutePath(part.value));
        }
    }
    const FileUploadConsent uploads = FileUploadConsent::forRequest(built, OriginGuard(env.apiBaseUrl), confirmedUploads);
    if (uploads.needed() && !parser.isSet(allowFileUpload)) {
        m_print.failure(u"upload_consent_required"_s, uploads.description() + u" Nothing was read or sent; add --allow-file-upload to send "_s
                                                          + (uploads.files().size() == 1 ? u"it."_s : u"them."_s));
        return NeedsUploadConsent;
    }
    confirmedUploads += uploads.files();
    if (built.ok() && HeaderInjector::needsToken(draft, built, OriginGuard(env.apiBaseUrl))) {
        const SecretSources sources = secretSources(parser, accepted.secrets);
        if (const int code = gatherSecrets(env, sources, &request); code != Ok)
            return code;
    } else if (const int code = gatherKeys(env, &request); code != Ok) {
        return code; // the client certificate goes to the API without a token too
    }

    // One token source and one call for every run: the connection stays open (the thread's
    // CurlMulti keeps it alive) and the token is reused until it needs renewing.
    CachedTokenSource tokens(env.id, request);
    if (parser.isSet(verbose))
        QObject::connect(&tokens, &CachedTokenSource::fetching, &tokens, [this](const TokenRequest &fetched) { m_print.tokenRequest(fetched); });
    ApiCall call(&tokens);
    // An interactive grant asks the person as `token` does (stderr; stdout keeps the answer).
    GrantPrompt prompt(m_print.err(), !parser.isSet(accepted.noBrowser));
    bool waiting = false; // for a person
    QObject::connect(&tokens, &TokenSource::interactionRequired, &tokens, [&prompt, &waiting](const QStringList &, const GrantInteraction &interaction) {
        waiting = true;
        prompt.show(interaction);
    });
    QObject::connect(&tokens, &TokenSource::interactionFinished, &tokens, [&waiting] { waiting = false; });
    // Ctrl-C stops waiting for that person (and what runs), instead of killing us mid-way.
    bool interrupted = false;
    bool interruptedWaiting = false;
    std::unique_ptr<InterruptWatch> interrupt;
    if (Environment::isInteractive(request.grant)) {
        interrupt = std::make_unique<InterruptWatch>();
        QObject::connect(interrupt.get(), &InterruptWatch::interrupted, &call, [&] {
            interrupted = true;
            interruptedWaiting = waiting;
            tokens.cancelTokenRequests();
            call.cancel();
        });
    }
    const auto reportInterrupted = [this, &tokens, &interruptedWaiting] {
        m_known.addAll(tokens.knownSecrets());
        m_print.failure(u"interrupted"_s, interruptedWaiting ? u"interrupted; stopped waiting for the authorization, nothing was sent"_s
                                                  : u"interrupted; the request was stopped"_s);
        return Interrupted;
    };
    ApiCall::Options options;
    options.productionConfirmed = parser.isSet(yes);
    options.timeoutMs = request.timeoutMs;
    options.extraCaPem = extraCaPem;
    options.maxResponseBytes = maxResponseBytes;
    options.confirmedUploads = confirmedUploads;
    // Read through call.result() rather than copied out of the signal: one copy less per run.
    const ApiCallResult &result = call.result();
    QEventLoop loop;
    QObject::connect(&call, &ApiCall::finished, &loop, &QEventLoop::quit);
    if (repeatCount == 1) {
        call.start(env, draft, options);
        loop.exec();
        if (interrupted)
            return reportInterrupted();
        m_known.addAll(tokens.knownSecrets());
        m_print.apiCall(env, result, parser.isSet(include), parser.isSet(verbose), expected ? &*expected : nullptr);
        return exitCodeFor(result, expected);
    }

    RepeatSummary summary;
    summary.requested = repeatCount;
    QList<double> latencies;
    latencies.reserve(repeatCount);
    QHash<int, int> statusCounts; // counted by number, named once at the end
    QElapsedTimer total;
    QElapsedTimer each;
    total.start();
    for (int run = 1; run <= repeatCount; ++run) {
        each.start();
        call.start(env, draft, options);
        loop.exec();
        if (interrupted)
            return reportInterrupted();
        latencies.append(static_cast<double>(each.nsecsElapsed()) / 1e6);
        ++summary.count;
        summary.exitCode = std::max(summary.exitCode, exitCodeFor(result, expected));
        if (result.answered()) {
            ++statusCounts[result.exchange.status];
            continue;
        }
        ++summary.statuses[ApiCallResult::outcomeName(result.outcome)];
        // These are decided before anything is sent (or by the authorization server): the next
        // run would end the same way, so stop rather than repeat the failure N times.
        const bool hopeless = result.outcome == ApiCallResult::Outcome::NotSent || result.outcome == ApiCallResult::Outcome::Refused
            || result.outcome == ApiCallResult::Outcome::NeedsConfirmation || result.outcome == ApiCallResult::Outcome::NeedsUploadConsent
            || result.outcome == ApiCallResult::Outcome::TokenFailed;
        if (hopeless) {
            if (run < repeatCount)
                summary.stoppedBecause = u"run %1 ended with %2; the remaining %3 were not sent"_s.arg(run).arg(
                    ApiCallResult::outcomeName(result.outcome)).arg(repeatCount - run);
            break;
        }
    }
    summary.totalMs = static_cast<double>(total.nsecsElapsed()) / 1e6;
    for (auto it = statusCounts.constBegin(); it != statusCounts.constEnd(); ++it)
        summary.statuses.insert(QString::number(it.key()), it.value());
    std::sort(latencies.begin(), latencies.end());
    summary.medianMs = RepeatSummary::percentile(latencies, 50);
    summary.p95Ms = RepeatSummary::percentile(latencies, 95);
    summary.maxMs = latencies.isEmpty() ? 0 : latencies.last();
    summary.tokenRequests = tokens.fetchCount();
    m_known.addAll(tokens.knownSecrets());
    m_print.repeatedApiCall(env, result, summary, parser.isSet(include), parser.isSet(verbose), expected ? &*expected : nullptr);
    return summary.exitCode;
}
