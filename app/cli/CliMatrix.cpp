#include "Cli.h"

#include "CliSupport.h"
#include "CommandHelp.h"
#include "GrantPrompt.h"
#include "InterruptWatch.h"
#include "MatrixText.h"
#include "contract/OpenApiDocument.h"
#include "demo/DemoServer.h"
#include "http/CachedTokenSource.h"
#include "matrix/MatrixHtmlWriter.h"
#include "matrix/MatrixJUnitWriter.h"
#include "matrix/MatrixPlanReader.h"
#include "matrix/MatrixPlanner.h"
#include "matrix/MatrixReport.h"
#include "matrix/MatrixRunner.h"
#include "matrix/MatrixShard.h"
#include "matrix/MatrixTokenPlan.h"
#include "workspace/WorkspaceFile.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QEventLoop>
#include <QJsonDocument>
#include <QSaveFile>

#include <algorithm>
#include <cmath>
#include <cstdio>

#ifdef Q_OS_WIN
#include <io.h>
#else
#include <unistd.h>
#endif

using namespace Qt::StringLiterals;

namespace {
// What `matrix` accepts: its parser is configured from this and its --help lists it (CommandHelp).
struct MatrixOptions
{
    const QCommandLineOption env{u"env"_s, u"The environment to run the plan against (its token endpoint, API and context headers)"_s, u"NAME"_s};
    const QCommandLineOption openapi{u"openapi"_s, u"Take the plan from this OpenAPI 3 / Swagger 2.0 document (JSON or YAML) instead"_s, u"FILE"_s};
    const CliSupport::SecretOptions secrets; // --client-secret-env, --password-env, --client-secret-stdin, --password-stdin
    const QCommandLineOption junit{u"junit"_s, u"Write a JUnit XML report to FILE (a test case per cell) for CI"_s, u"FILE"_s};
    const QCommandLineOption html{u"html"_s, u"Write a self-contained HTML report to FILE: the matrix and each failing exchange"_s, u"FILE"_s};
    const QCommandLineOption report{u"report"_s, u"Write the JSON report to FILE (what 'matrix merge' reads)"_s, u"FILE"_s};
    const QCommandLineOption json{u"json"_s, u"Print the JSON report (with --dry-run: the cells and tokens) instead of the summary"_s};
    const QCommandLineOption dryRun{u"dry-run"_s, u"Print the matrix and the tokens it would mint; send nothing, not even a token request"_s};
    const QCommandLineOption readOnly{u"read-only"_s, u"Send no POST, PUT, PATCH or DELETE: their cells are skipped"_s};
    const QCommandLineOption concurrency{u"concurrency"_s, u"Requests in flight at once, on kept-alive connections (1-64)"_s, u"N"_s, u"4"_s};
    const QCommandLineOption shard{u"shard"_s, u"Run only shard K of N (1-based): a stable 1/N of the cells, tokens minted for those only"_s,
                                   u"K/N"_s, u"1/1"_s};
    const QCommandLineOption allowProduction{u"allow-production"_s, u"Run against a production environment (refused without it)"_s};
    const QCommandLineOption timeout{u"timeout"_s, u"Give up on one request or token request after SECONDS (at most 3600)"_s, u"SECONDS"_s, u"30"_s};
    const QCommandLineOption cacert{u"cacert"_s, u"Also trust the PEM certificates in FILE for this run (repeatable)"_s, u"FILE"_s};
    const QCommandLineOption noBrowser{u"no-browser"_s, u"Authorization code grant: only print each authorization URL, do not run $BROWSER"_s};

    QList<QCommandLineOption> all() const
    {
        return QList<QCommandLineOption>{env, openapi} + secrets.all()
            + QList<QCommandLineOption>{junit, html, report, json, dryRun, readOnly, concurrency, shard, allowProduction, timeout, cacert, noBrowser};
    }
};

struct MergeOptions
{
    const QCommandLineOption junit{u"junit"_s, u"Write the merged JUnit XML report to FILE"_s, u"FILE"_s};
    const QCommandLineOption html{u"html"_s, u"Write the merged HTML report to FILE"_s, u"FILE"_s};
    const QCommandLineOption report{u"report"_s, u"Write the merged JSON report to FILE"_s, u"FILE"_s};
    const QCommandLineOption json{u"json"_s, u"Print the merged JSON report instead of the summary"_s};

    QList<QCommandLineOption> all() const { return {junit, html, report, json}; }
};

const CommandHelp::Registration matrixHelp([] {
    CommandHelp help(u"matrix"_s, u"Verify that every request is denied without its scopes (scope matrix)"_s);
    help.synopsis = {u"matrix [PLAN] --env NAME [OPTIONS]"_s, u"matrix --openapi FILE --env NAME [OPTIONS]"_s};
    help.options = MatrixOptions().all();
    help.details = {
        u"Sends every request of the plan with a token of each scope set that proves it checks its scopes: the scopes it needs "
        "(it must succeed), the needed scopes less each one in turn (denied, 403 or the plan's denial), no token (401), and in an "
        "on-behalf-of environment the needed scopes without core.users:act-on-behalf-of while the context header is sent (403). "
        "One token is minted per distinct scope set and reused. A request that succeeds without a scope it needs is over-permissive, "
        "reported with the exchange that proves it."_s,
        u"The plan is the PLAN file (JSON or YAML, see docs/matrix.md), else the operations of the --openapi document, else the "
        "workspace's saved requests that document their scopes."_s,
        u"Secrets come as for 'token' and 'send': the keychain, --client-secret-env / --password-env, or standard input. A production "
        "environment is refused without --allow-production, before anything is sent. --shard K/N runs a stable part of the cells so "
        "CI jobs can share a large plan; 'matrix merge' joins their --report files."_s,
        u"On a terminal, a line per finished cell goes to standard error; then a table of the observed statuses per request and "
        "kind of scope set, and each finding with its exchange (credentials masked)."_s,
        u"With the authorization code or device grant, each scope set's token needs the person once: a prompt per set on standard "
        "error, as 'token' shows it (the authorization URL, opened with $BROWSER unless --no-browser, or the user code), naming "
        "the scopes asked for and the columns they are for, one at a time."_s,
        u"Ctrl-C (or SIGTERM) stops the run: the cells finished so far are still printed and written to --report, --junit and "
        "--html, the report marked as interrupted (JSON \"interrupted\": true, a note, and in JUnit an \"interrupted\" error for "
        "the cells missing); exit 130."_s,
    };
    help.exitCodes = {{Cli::Ok, u"every cell as expected (or skipped by --read-only); --dry-run: the plan was read"_s},
                      {Cli::Unexpected, u"a report file cannot be written"_s},
                      {Cli::Usage, u"usage error, no such plan file, or a plan with nothing to verify"_s},
                      {Cli::WorkspaceProblem, u"unknown environment, corrupt workspace, incomplete profile"_s},
                      {Cli::SecretUnavailable, u"a secret is not stored or the keychain refused"_s},
                      {Cli::NeedsConfirmation, u"a production environment without --allow-production; nothing was sent"_s},
                      {Cli::DocumentRefused, u"the plan file or OpenAPI document cannot be read (malformed, too large, hostile)"_s},
                      {Cli::ExpectationsFailed, u"an expectation failed: a cell over-permissive, unexpectedly denied, untestable or in error"_s},
                      {Cli::Interrupted, u"interrupted (Ctrl-C, SIGTERM): the run and any grant waiting for a person were stopped; the "
                                         "cells finished are reported"_s}};
    help.examples = {u"tokenbench-cli matrix --env Demo"_s,
                     u"tokenbench-cli matrix plan.yaml --env staging --client-secret-env CLIENT_SECRET --junit matrix.xml --html matrix.html"_s,
                     u"tokenbench-cli matrix --openapi api.yaml --env staging --dry-run"_s,
                     u"tokenbench-cli matrix plan.yaml --env staging --shard 2/4 --report shard-2.json"_s};
    return help;
});

const CommandHelp::Registration matrixMergeHelp([] {
    CommandHelp help(u"matrix merge"_s, u"Merge the JSON reports of a plan's shards into one report"_s);
    help.synopsis = {u"matrix merge REPORT.json... [--junit FILE] [--html FILE] [--report FILE] [--json]"_s};
    help.options = MergeOptions().all();
    help.details = {u"Joins the --report files of 'matrix --shard K/N' runs of one plan on one environment, and prints (and writes) the "
                    "report of the whole plan. Reports of different plans, environments or splits, a shard given twice and a cell found "
                    "in two reports are refused; cells no report holds (a shard missing, a run stopped) are counted and fail the merge."_s};
    help.exitCodes = {{Cli::Ok, u"every cell of the plan is there and as expected"_s},
                      {Cli::Unexpected, u"a report file cannot be written"_s},
                      {Cli::Usage, u"no report given, or one cannot be read"_s},
                      {Cli::DocumentRefused, u"a file is not a matrix report, or the reports are not the shards of one run"_s},
                      {Cli::ExpectationsFailed, u"an expectation failed, or cells of the plan are missing"_s}};
    help.examples = {u"tokenbench-cli matrix merge shard-*.json --junit matrix.xml --html matrix.html"_s};
    return help;
});

bool stderrIsTerminal()
{
#ifdef Q_OS_WIN
    return _isatty(_fileno(stderr)) != 0;
#else
    return isatty(fileno(stderr)) != 0;
#endif
}

// A report file written whole or not at all.
bool writeFile(CliPrinter &print, const QString &path, const QByteArray &bytes, const QString &what)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size() || !file.commit()) {
        print.failure(u"report"_s, u"cannot write the %1 report %2: %3"_s.arg(what, path, file.errorString()));
        return false;
    }
    return true;
}

// --junit, --html and --report as given; false after saying which could not be written.
bool writeReports(CliPrinter &print, const MatrixReport &report, const QString &junit, const QString &html, const QString &json)
{
    bool ok = true;
    if (!json.isEmpty())
        ok = writeFile(print, json, QJsonDocument(report.toJson()).toJson(QJsonDocument::Indented), u"JSON"_s) && ok;
    if (!junit.isEmpty())
        ok = writeFile(print, junit, MatrixJUnitWriter::write(report), u"JUnit"_s) && ok;
    if (!html.isEmpty())
        ok = writeFile(print, html, MatrixHtmlWriter::write(report), u"HTML"_s) && ok;
    return ok;
}
} // namespace

int Cli::runMatrix(const QStringList &args)
{
    const MatrixOptions accepted; // the parser's options and the help's
    QCommandLineParser parser;
    if (!parseCommand(parser, accepted.all(), args))
        return Usage;
    QString error;
    const QStringList positional = parser.positionalArguments();
    if (positional.size() > 1)
        return usageError(u"matrix takes one plan file at most (got %1)"_s.arg(positional.join(u' ')));
    if (!parser.isSet(accepted.env))
        return usageError(u"matrix needs --env NAME: the environment to run the plan against"_s);
    for (const QCommandLineOption *single : {&accepted.env, &accepted.openapi, &accepted.shard, &accepted.concurrency, &accepted.junit,
                                             &accepted.html, &accepted.report, &accepted.timeout}) {
        if (parser.values(*single).size() > 1)
            return usageError(u"give --%1 once"_s.arg(single->names().constFirst()));
    }
    if (!positional.isEmpty() && parser.isSet(accepted.openapi))
        return usageError(u"give a plan file or --openapi FILE, not both"_s);
    if (parser.isSet(accepted.secrets.secretStdin) && parser.isSet(accepted.secrets.passwordStdin))
        return usageError(u"only one secret can come from standard input; pass the other with --client-secret-env or --password-env"_s);
    bool ok = false;
    const int concurrency = parser.value(accepted.concurrency).toInt(&ok);
    if (!ok || concurrency < 1 || concurrency > MatrixRunner::maxConcurrency)
        return usageError(u"--concurrency needs a number of requests between 1 and %1"_s.arg(MatrixRunner::maxConcurrency));
    const auto shard = MatrixShard::parse(parser.value(accepted.shard), &error);
    if (!shard)
        return usageError(u"--shard: %1"_s.arg(error));
    const double timeoutSeconds = parser.value(accepted.timeout).toDouble(&ok);
    if (!ok || timeoutSeconds <= 0 || timeoutSeconds > 3600)
        return usageError(u"--timeout needs a number of seconds between 0 and 3600"_s);
    QByteArray extraCaPem;
    if (parser.isSet(accepted.cacert) && !readCertificates(parser.values(accepted.cacert), &extraCaPem))
        return Usage;

    const Environment *found = loadEnvironment(parser.value(accepted.env), false);
    if (!found)
        return WorkspaceProblem;
    Environment env = *found;

    // The plan: a plan file, an OpenAPI document, or the workspace's saved requests with scopes.
    std::optional<MatrixPlan> plan;
    const QString documentPath = positional.isEmpty() ? parser.value(accepted.openapi) : positional.first();
    if (!documentPath.isEmpty()) {
        const bool isOpenApi = positional.isEmpty();
        const qint64 limit = isOpenApi ? OpenApiDocument::MaxBytes : MatrixPlanReader::MaxBytes;
        const WorkspaceFile::Result read = WorkspaceFile::read(documentPath, limit);
        if (read.status == WorkspaceFile::Status::TooLarge) {
            m_print.failure(u"plan"_s, u"%1: refused, larger than %2"_s.arg(documentPath, WorkspaceFile::describeSize(limit)));
            return DocumentRefused;
        }
        if (!read.ok())
            return usageError(u"cannot read %1: %2"_s.arg(documentPath, read.problem));
        plan = isOpenApi ? MatrixPlanReader::fromOpenApi(read.bytes, documentPath, &error)
                         : MatrixPlanReader::fromFile(read.bytes, documentPath, &error, &*m_workspace);
        if (!plan) {
            m_print.failure(u"plan"_s, error);
            return DocumentRefused;
        }
    } else {
        plan = MatrixPlanReader::fromWorkspace(*m_workspace);
    }
    QStringList notes = plan->notes;
    const QList<MatrixCell> allCells = MatrixPlanner::cells(*plan, env, &notes);
    if (allCells.isEmpty()) {
        QString why = u"nothing to verify: %1 has no request that documents the scopes it needs"_s.arg(
            plan->source.isEmpty() ? u"the plan"_s : plan->source);
        for (const QString &note : std::as_const(notes))
            why += u"\n  "_s + note;
        m_print.failure(u"plan"_s, why);
        return Usage;
    }
    QStringList allIds;
    QList<MatrixCell> cells;
    for (const MatrixCell &cell : allCells) {
        allIds.append(cell.id());
        if (shard->contains(cell.id()))
            cells.append(cell);
    }

    MatrixRunner::Options options;
    options.concurrency = concurrency;
    options.readOnly = parser.isSet(accepted.readOnly);
    options.allowProduction = parser.isSet(accepted.allowProduction);
    options.timeoutMs = std::max(1, static_cast<int>(std::ceil(timeoutSeconds * 1000)));
    options.extraCaPem = extraCaPem;

    if (parser.isSet(accepted.dryRun)) {
        MatrixText::DryRun run;
        run.plan = &*plan;
        run.environment = env.name;
        run.tier = Environment::tierName(env.tier);
        run.shard = shard->toString();
        run.totalCells = int(allCells.size());
        run.cells = cells;
        run.readOnly = options.readOnly;
        run.notes = notes;
        const QString refusal = MatrixRunner::refusal(env, options);
        if (!refusal.isEmpty())
            run.notes.append(refusal);
        if (m_print.json())
            m_print.out() << CliPrinter::jsonText(MatrixText::dryRunJson(run));
        else
            m_print.out() << MatrixText::dryRun(run);
        m_print.out().flush();
        return Ok;
    }

    // Refused before anything leaves the process: no Demo, no keychain, no token request.
    if (const QString refusal = MatrixRunner::refusal(env, options); !refusal.isEmpty()) {
        m_print.failure(u"confirmation_required"_s, refusal + u" Nothing was sent; add --allow-production to run it."_s);
        return NeedsConfirmation;
    }

    TokenRequest request = TokenRequest::fromEnvironment(env);
    request.trustedCertificates += extraCaPem;
    request.timeoutMs = options.timeoutMs;
    std::unique_ptr<DemoServer> demo;
    if (const int code = startDemo(&env, &request, &demo); code != Ok)
        return code;
    const bool needsToken = std::any_of(cells.cbegin(), cells.cend(), [](const MatrixCell &cell) { return cell.set.kind != ScopeSet::Kind::NoToken; });
    if (needsToken) {
        const SecretSources sources = secretSources(parser, accepted.secrets);
        if (const int code = gatherSecrets(env, sources, &request); code != Ok)
            return code;
    }

    MatrixReport report;
    report.title = plan->title;
    report.source = plan->source;
    report.environment = env.name;
    report.tier = Environment::tierName(env.tier);
    report.tokenbenchVersion = QCoreApplication::applicationVersion();
    report.shard = shard->toString();
    report.planDigest = MatrixReport::planDigestOf(allIds);
    report.totalCells = int(allCells.size());
    report.plannedCells = int(cells.size());
    report.notes = notes;

    CachedTokenSource tokens(env.id, request);
    MatrixRunner runner(&tokens);
    QEventLoop loop;
    // An interactive grant needs the person once per scope set: each prompt says which one.
    GrantPrompt prompt(m_print.err(), !parser.isSet(accepted.noBrowser));
    const MatrixTokenPlan tokenPlan(cells);
    QObject::connect(&tokens, &TokenSource::interactionRequired, &loop, [&](const QStringList &scopes, const GrantInteraction &interaction) {
        prompt.show(interaction, tokenPlan.describe(scopes));
    });
    // Ctrl-C or SIGTERM stops the run (and any grant waiting for a person); the cells finished
    // so far are still reported, marked as interrupted.
    bool interrupted = false;
    auto interrupt = std::make_unique<InterruptWatch>();
    QObject::connect(interrupt.get(), &InterruptWatch::interrupted, &runner, [&] {
        if (!runner.isRunning())
            return; // every cell had finished: nothing was cut short
        interrupted = true;
        runner.stop();
    });
    const bool progress = stderrIsTerminal();
    int done = 0;
    QObject::connect(&runner, &MatrixRunner::cellFinished, &loop, [&](int, const MatrixCellResult &result) {
        ++done;
        if (progress) {
            m_print.err() << MatrixText::progressLine(done, int(cells.size()), result) << Qt::endl;
        }
    });
    bool stopped = false;
    QObject::connect(&runner, &MatrixRunner::finished, &loop, [&](const QList<MatrixCellResult> &results, bool wasStopped) {
        report.results = results;
        stopped = wasStopped;
        loop.quit();
    });
    report.started = QDateTime::currentDateTimeUtc();
    if (const QString refused = runner.start(env, *plan, cells, options); !refused.isEmpty()) {
        m_print.failure(u"matrix"_s, refused);
        return Usage;
    }
    loop.exec();
    interrupt.reset(); // a second Ctrl-C while the reports are written ends the process at once
    report.finished = QDateTime::currentDateTimeUtc();
    report.tokenRequests = tokens.fetchCount();
    m_known.addAll(tokens.knownSecrets());
    if (interrupted) {
        report.interrupted = true;
        report.notes.append(u"interrupted (Ctrl-C) after %1 of %2 cells; the cells not finished are missing from this report"_s.arg(
            report.results.size()).arg(cells.size()));
    } else if (stopped) {
        report.notes.append(u"the run was stopped before every cell was sent"_s);
    }

    const bool written = writeReports(m_print, report, parser.value(accepted.junit), parser.value(accepted.html), parser.value(accepted.report));
    if (m_print.json())
        m_print.out() << CliPrinter::jsonText(report.toJson());
    else
        m_print.out() << MatrixText::summary(report);
    m_print.out().flush();
    if (interrupted) {
        // Not through failure(): with --json, standard output holds the report itself.
        m_print.err() << "tokenbench-cli: interrupted; the run was stopped after " << report.results.size() << " of " << cells.size()
                      << " cells" << (written ? ", which the report holds" : ", and a report could not be written") << Qt::endl;
        return Interrupted;
    }
    if (!written)
        return Unexpected;
    return report.allAsExpected() ? Ok : ExpectationsFailed;
}

int Cli::runMatrixMerge(const QStringList &args)
{
    const MergeOptions accepted;
    QCommandLineParser parser;
    if (!parseCommand(parser, accepted.all(), args))
        return Usage;
    QString error;
    const QStringList files = parser.positionalArguments();
    if (files.isEmpty())
        return usageError(u"matrix merge needs the JSON reports of the shards (matrix --shard K/N --report FILE)"_s);
    for (const QCommandLineOption *single : {&accepted.junit, &accepted.html, &accepted.report}) {
        if (parser.values(*single).size() > 1)
            return usageError(u"give --%1 once"_s.arg(single->names().constFirst()));
    }
    // A report of a few thousand cells with their evidence is tens of MB; this bounds a wrong file.
    constexpr qint64 maxReportBytes = qint64(512) * 1024 * 1024;
    QList<MatrixReport> reports;
    for (const QString &file : files) {
        const WorkspaceFile::Result read = WorkspaceFile::read(file, maxReportBytes);
        if (read.status == WorkspaceFile::Status::TooLarge) {
            m_print.failure(u"report"_s, u"%1: refused, larger than %2"_s.arg(file, WorkspaceFile::describeSize(maxReportBytes)));
            return DocumentRefused;
        }
        if (!read.ok())
            return usageError(u"cannot read %1: %2"_s.arg(file, read.problem));
        auto report = MatrixReport::fromBytes(read.bytes, &error);
        if (!report) {
            m_print.failure(u"report"_s, u"%1: %2"_s.arg(file, error));
            return DocumentRefused;
        }
        reports.append(std::move(*report));
    }
    const auto merged = MatrixReport::merge(reports, &error, files);
    if (!merged) {
        m_print.failure(u"merge"_s, error);
        return DocumentRefused;
    }
    const bool written = writeReports(m_print, *merged, parser.value(accepted.junit), parser.value(accepted.html), parser.value(accepted.report));
    if (m_print.json())
        m_print.out() << CliPrinter::jsonText(merged->toJson());
    else
        m_print.out() << MatrixText::summary(*merged);
    m_print.out().flush();
    if (!written)
        return Unexpected;
    return merged->allAsExpected() ? Ok : ExpectationsFailed;
}
