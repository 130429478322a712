#include "templates/TemplateCatalog.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonParseError>

using namespace Qt::StringLiterals;

const TemplateCatalog &TemplateCatalog::builtIn()
{
    static const TemplateCatalog catalog = load(u":/templates"_s);
    return catalog;
}

TemplateCatalog TemplateCatalog::load(const QString &folder)
{
    TemplateCatalog catalog;
    const QDir dir(folder);
    const QStringList files = dir.entryList({u"*.json"_s}, QDir::Files, QDir::Name);
    for (const QString &file : files) {
        QFile in(dir.filePath(file));
        if (!in.open(QIODevice::ReadOnly)) {
            catalog.m_problems.append(u"%1: %2"_s.arg(file, in.errorString()));
            continue;
        }
        QJsonParseError parseError;
        const QJsonDocument document = QJsonDocument::fromJson(in.readAll(), &parseError);
        if (parseError.error != QJsonParseError::NoError || !document.isObject()) {
            catalog.m_problems.append(u"%1: not a JSON object (%2)"_s.arg(file, parseError.errorString()));
            continue;
        }
        QString error;
        auto read = ApiTemplate::fromJson(document.object(), &error);
        if (!read) {
            catalog.m_problems.append(u"%1: %2"_s.arg(file, error));
            continue;
        }
        if (u"%1.json"_s.arg(read->id) != file) {
            catalog.m_problems.append(u"%1: its id is \"%2\"; a template's file is named after its id"_s.arg(file, read->id));
            continue;
        }
        catalog.m_templates.append(std::move(*read));
    }
    return catalog;
}

const ApiTemplate *TemplateCatalog::find(const QString &id) const
{
    for (const ApiTemplate &each : m_templates) {
        if (each.id.compare(id, Qt::CaseInsensitive) == 0)
            return &each;
    }
    return nullptr;
}

QStringList TemplateCatalog::ids() const
{
    QStringList names;
    for (const ApiTemplate &each : m_templates)
        names.append(each.id);
    return names;
}
