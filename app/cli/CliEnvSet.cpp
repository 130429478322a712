#include "Cli.h"

#include "CliSupport.h"
#include "EnvironmentOptions.h"

#include <QCommandLineParser>

using namespace Qt::StringLiterals;

int Cli::envSet(const QStringList &args)
{
    const EnvironmentOptions describe;
    const QCommandLineOption json(u"json"_s, u"JSON output"_s);
    QCommandLineParser parser;
    CliSupport::configure(parser, describe.options() + QList<QCommandLineOption>{json});
    QString error;
    if (!CliSupport::parse(parser, args, &error))
        return usageError(error);
    if (parser.isSet(json))
        m_print.setJson(true);
    if (parser.positionalArguments().size() != 1)
        return usageError(u"env set needs exactly one environment name"_s);
    if (!describe.anySet(parser))
        return usageError(u"env set needs at least one option to change (any option of env add, e.g. --client-id ID)"_s);
    QByteArray certificates;
    if (!describe.certificateFiles(parser).isEmpty() && !readCertificates(describe.certificateFiles(parser), &certificates))
        return Usage;
    if (!loadWorkspace(false))
        return WorkspaceProblem;
    const Environment *found = findEnvironment(parser.positionalArguments().first());
    if (!found)
        return WorkspaceProblem;
    if (found->isBuiltinDemo())
        return usageError(u"the built-in Demo environment takes its settings from the Demo API; add your own with env add NAME --template demo"_s);
    const QString id = found->id;

    // Checked on the environment as it is now, then applied again under the file's lock, so a
    // change another process made in between is kept.
    Environment preview = *found;
    if (!describe.apply(parser, &preview, &error))
        return usageError(error);
    Environment stored;
    const bool saved = updateWorkspace([&](Workspace &workspace, QString *refusal) {
        Environment *current = workspace.findById(id);
        if (!current) {
            *refusal = u"no environment \"%1\" any more: another process removed it"_s.arg(preview.name);
            return false;
        }
        Environment changed = *current;
        if (!describe.apply(parser, &changed, refusal))
            return false;
        if (!certificates.isEmpty())
            changed.trustedCertificates = certificates;
        stored = workspace.upsert(changed);
        return true;
    });
    if (!saved)
        return WorkspaceProblem;
    warnInsecure(stored);
    if (m_print.json())
        m_print.environment(stored);
    else
        m_print.message(u"Changed environment \"%1\" in %2."_s.arg(stored.name, m_workspacePath));
    return Ok;
}
