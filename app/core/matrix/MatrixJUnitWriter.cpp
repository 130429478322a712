#include "matrix/MatrixJUnitWriter.h"

#include "matrix/MatrixExchangeText.h"
#include "matrix/MatrixReport.h"

#include <QHash>
#include <QXmlStreamWriter>

using namespace Qt::StringLiterals;

namespace {
struct Suite
{
    QString name;
    QList<const MatrixCellResult *> cells;
    int failures = 0, errors = 0, skipped = 0;
    qint64 elapsedMs = 0;
};

QString seconds(qint64 ms)
{
    return QString::number(double(ms) / 1000.0, 'f', 3);
}

bool isFailure(MatrixVerdict verdict)
{
    return verdict == MatrixVerdict::OverPermissive || verdict == MatrixVerdict::UnexpectedDenial || verdict == MatrixVerdict::CannotTest;
}

// The JUnit schema's timestamp: a local date and time without a zone (UTC here).
QString timestamp(const QDateTime &time)
{
    return time.isValid() ? time.toUTC().toString(u"yyyy-MM-ddTHH:mm:ss"_s) : QString();
}

class Writer
{
public:
    explicit Writer(QByteArray *out)
        : m_xml(out)
    {
        m_xml.setAutoFormatting(true);
        m_xml.setAutoFormattingIndent(2);
    }

    void attribute(const QString &name, const QString &value) { m_xml.writeAttribute(name, MatrixExchangeText::xmlSafe(value)); }
    void text(const QString &value) { m_xml.writeCharacters(MatrixExchangeText::xmlSafe(value)); }
    QXmlStreamWriter &xml() { return m_xml; }

private:
    QXmlStreamWriter m_xml;
};

QString statusText(int status)
{
    return status == 0 ? u"no answer"_s : QString::number(status);
}

QString expectedText(const MatrixCellResult &cell)
{
    return cell.expectedStatus == 0 ? u"2xx"_s : QString::number(cell.expectedStatus);
}
} // namespace

QByteArray MatrixJUnitWriter::write(const MatrixReport &report)
{
    const QString title = report.title.isEmpty() ? u"Scope matrix"_s : report.title;
    QList<Suite> suites;
    QHash<QString, qsizetype> suiteIndex;
    for (const MatrixCellResult &cell : report.results) {
        const QString name = cell.folder.isEmpty() ? title : cell.folder;
        auto found = suiteIndex.constFind(name);
        if (found == suiteIndex.constEnd()) {
            found = suiteIndex.insert(name, suites.size());
            suites.append(Suite{name, {}, 0, 0, 0, 0});
        }
        Suite &suite = suites[*found];
        suite.cells.append(&cell);
        suite.elapsedMs += cell.elapsedMs;
        if (isFailure(cell.verdict))
            ++suite.failures;
        else if (cell.verdict == MatrixVerdict::Error)
            ++suite.errors;
        else if (cell.verdict == MatrixVerdict::Skipped)
            ++suite.skipped;
    }
    const int missing = report.missingCells();

    int tests = 0, failures = 0, errors = 0, skipped = 0;
    qint64 elapsedMs = 0;
    for (const Suite &suite : std::as_const(suites)) {
        tests += int(suite.cells.size());
        failures += suite.failures;
        errors += suite.errors;
        skipped += suite.skipped;
        elapsedMs += suite.elapsedMs;
    }
    if (missing > 0) {
        ++tests;
        ++errors;
    }

    QByteArray bytes;
    Writer w(&bytes);
    QXmlStreamWriter &xml = w.xml();
    xml.writeStartDocument();
    xml.writeStartElement(u"testsuites"_s);
    w.attribute(u"name"_s, u"Scope matrix: %1 on %2"_s.arg(title, report.environment));
    w.attribute(u"tests"_s, QString::number(tests));
    w.attribute(u"failures"_s, QString::number(failures));
    w.attribute(u"errors"_s, QString::number(errors));
    w.attribute(u"skipped"_s, QString::number(skipped));
    w.attribute(u"time"_s, seconds(report.started.isValid() && report.finished.isValid() ? report.started.msecsTo(report.finished) : elapsedMs));
    if (report.started.isValid())
        w.attribute(u"timestamp"_s, timestamp(report.started));

    const auto writeProperties = [&] {
        xml.writeStartElement(u"properties"_s);
        const QList<QPair<QString, QString>> properties{{u"environment"_s, report.environment},
                                                        {u"tier"_s, report.tier},
                                                        {u"source"_s, report.source},
                                                        {u"shard"_s, report.shard},
                                                        {u"tokenbench"_s, report.tokenbenchVersion},
                                                        {u"interrupted"_s, report.interrupted ? u"true"_s : QString()}};
        for (const auto &[name, value] : properties) {
            if (value.isEmpty())
                continue;
            xml.writeStartElement(u"property"_s);
            w.attribute(u"name"_s, name);
            w.attribute(u"value"_s, value);
            xml.writeEndElement();
        }
        xml.writeEndElement();
    };

    int suiteId = 0;
    for (const Suite &suite : std::as_const(suites)) {
        xml.writeStartElement(u"testsuite"_s);
        w.attribute(u"name"_s, suite.name);
        w.attribute(u"id"_s, QString::number(suiteId++));
        w.attribute(u"tests"_s, QString::number(suite.cells.size()));
        w.attribute(u"failures"_s, QString::number(suite.failures));
        w.attribute(u"errors"_s, QString::number(suite.errors));
        w.attribute(u"skipped"_s, QString::number(suite.skipped));
        w.attribute(u"time"_s, seconds(suite.elapsedMs));
        if (report.started.isValid())
            w.attribute(u"timestamp"_s, timestamp(report.started));
        writeProperties();
        for (const MatrixCellResult *cell : std::as_const(suite.cells)) {
            xml.writeStartElement(u"testcase"_s);
            w.attribute(u"name"_s, cell->requestName + u" — "_s + cell->column);
            w.attribute(u"classname"_s, suite.name);
            w.attribute(u"time"_s, seconds(cell->elapsedMs));
            const QString line = u"%1 %2: expected %3, got %4"_s.arg(cell->method, cell->url, expectedText(*cell), statusText(cell->observedStatus));
            const QString verdict = MatrixCellResult::verdictName(cell->verdict);
            if (isFailure(cell->verdict) || cell->verdict == MatrixVerdict::Error) {
                xml.writeStartElement(cell->verdict == MatrixVerdict::Error ? u"error"_s : u"failure"_s);
                w.attribute(u"message"_s, u"%1: %2"_s.arg(MatrixCellResult::verdictLabel(cell->verdict), cell->detail.isEmpty() ? line : cell->detail));
                w.attribute(u"type"_s, verdict);
                QString body = line + u'\n';
                if (!cell->detail.isEmpty())
                    body += cell->detail + u'\n';
                if (cell->grantedReported)
                    body += u"Asked for: %1; granted: %2\n"_s.arg(cell->askedScopes.join(u' '), cell->grantedScopes.join(u' '));
                const QString exchange = MatrixExchangeText::of(cell->evidence.json());
                if (!exchange.isEmpty())
                    body += u"\n"_s + exchange;
                w.text(body);
                xml.writeEndElement();
            } else if (cell->verdict == MatrixVerdict::Skipped) {
                xml.writeStartElement(u"skipped"_s);
                w.attribute(u"message"_s, cell->detail.isEmpty() ? u"skipped"_s : cell->detail);
                xml.writeEndElement();
            }
            xml.writeStartElement(u"system-out"_s);
            w.text(line + u" ("_s + MatrixCellResult::verdictLabel(cell->verdict) + u")\n"_s);
            xml.writeEndElement();
            xml.writeEndElement(); // testcase
        }
        xml.writeEndElement(); // testsuite
    }
    if (missing > 0) {
        xml.writeStartElement(u"testsuite"_s);
        w.attribute(u"name"_s, title + u" (completeness)"_s);
        w.attribute(u"id"_s, QString::number(suiteId));
        w.attribute(u"tests"_s, u"1"_s);
        w.attribute(u"failures"_s, u"0"_s);
        w.attribute(u"errors"_s, u"1"_s);
        w.attribute(u"skipped"_s, u"0"_s);
        w.attribute(u"time"_s, u"0.000"_s);
        if (report.started.isValid())
            w.attribute(u"timestamp"_s, timestamp(report.started));
        writeProperties();
        xml.writeStartElement(u"testcase"_s);
        w.attribute(u"name"_s, u"every cell of the plan ran"_s);
        w.attribute(u"classname"_s, title + u" (completeness)"_s);
        w.attribute(u"time"_s, u"0.000"_s);
        xml.writeStartElement(u"error"_s);
        w.attribute(u"message"_s, u"%1 of the plan's %2 cells are not in the report%3"_s.arg(missing).arg(report.totalCells).arg(
                                      report.interrupted ? u": the run was interrupted"_s : QString()));
        w.attribute(u"type"_s, report.interrupted ? u"interrupted"_s : u"missing"_s);
        w.text(report.notes.join(u'\n'));
        xml.writeEndElement();
        xml.writeEndElement();
        xml.writeEndElement();
    }
    xml.writeEndElement(); // testsuites
    xml.writeEndDocument();
    return bytes;
}
