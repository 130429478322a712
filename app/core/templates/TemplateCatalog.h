#pragma once

#include "templates/ApiTemplate.h"

#include <QList>
#include <QString>
#include <QStringList>

// The API templates compiled into the core library (resources/templates/*.json as the Qt
// resources :/templates/), each read and validated once (ApiTemplate::fromJson). A template that
// does not read is left out and named in problems(): the build's test reads them all, so a
// shipped one never is.
class TemplateCatalog
{
public:
    // The catalog of the compiled-in templates, read on first use.
    static const TemplateCatalog &builtIn();
    // Reads every *.json of a folder (":/templates" for the built-in ones).
    static TemplateCatalog load(const QString &folder);

    const QList<ApiTemplate> &templates() const { return m_templates; }
    const ApiTemplate *find(const QString &id) const;
    QStringList ids() const;
    // "cymbio.json: tiers[1].tier: unknown tier …", one per file that did not read.
    const QStringList &problems() const { return m_problems; }

private:
    QList<ApiTemplate> m_templates;
    QStringList m_problems;
};
